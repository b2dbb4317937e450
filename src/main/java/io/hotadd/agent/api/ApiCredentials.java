package io.hotadd.agent.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;

/**
 * Who may call the API: the holder of the bearer token (only its SHA-256 is kept, compared in constant
 * time) or, when mTLS is on, a client whose certificate the TLS layer verified against the configured CAs
 * and whose subject is allowed. The token itself never appears in logs or messages.
 */
public final class ApiCredentials {
    private final Optional<byte[]> tokenSha256;
    private final boolean mtls;
    private final List<X500Principal> allowedSubjects;

    /** The outcome for one request. */
    public enum Verdict {
        ALLOWED,
        /** No credential at all: 401 with a challenge. */
        MISSING,
        /** A bearer token that is not the configured one: 401. */
        WRONG_TOKEN,
        /** A verified client certificate whose subject is not allowed, and no valid token: 403. */
        SUBJECT_NOT_ALLOWED
    }

    /**
     * @param tokenSha256     hex SHA-256 of the token, if token auth is configured
     * @param mtls            whether verified client certificates are accepted
     * @param allowedSubjects subject DNs accepted; empty accepts any certificate the trusted CAs issued
     */
    public ApiCredentials(Optional<String> tokenSha256, boolean mtls, List<String> allowedSubjects) {
        this.tokenSha256 = tokenSha256.map(h -> HexFormat.of().parseHex(h.trim().toLowerCase(Locale.ROOT)));
        this.mtls = mtls;
        this.allowedSubjects = allowedSubjects.stream().map(X500Principal::new).toList();
    }

    /** The hex SHA-256 of a token, as the configuration holds it. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /**
     * @param authorization the Authorization header, or null
     * @param peer          the client's certificate chain as the TLS layer verified it, or null
     */
    public Verdict check(String authorization, X509Certificate[] peer) {
        Optional<String> token = bearer(authorization);
        if (token.isPresent() && tokenSha256.isPresent()
                && MessageDigest.isEqual(sha256(token.get()), tokenSha256.get())) {
            return Verdict.ALLOWED;
        }
        if (mtls && peer != null && peer.length > 0) {
            if (allowedSubjects.isEmpty() || allowedSubjects.contains(peer[0].getSubjectX500Principal())) {
                return Verdict.ALLOWED;
            }
            return token.isPresent() ? Verdict.WRONG_TOKEN : Verdict.SUBJECT_NOT_ALLOWED;
        }
        return token.isPresent() ? Verdict.WRONG_TOKEN : Verdict.MISSING;
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String t = authorization.substring(7).trim();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
