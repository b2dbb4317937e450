package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint the agent pins vCenter to: SHA-256, or the SHA-1 "thumbprint" vCenter and ESXi
 * display. Accepted spellings: hex with or without colons (or spaces), any case, optionally prefixed with
 * the algorithm name ({@code sha256:}, {@code SHA-1 }).
 */
public final class CertificateFingerprint {

    /** Digest algorithms the agent can pin with, by hex length. */
    public enum Algorithm {
        SHA256("SHA-256", 32), SHA1("SHA-1", 20);

        private final String jcaName;
        private final int length;

        Algorithm(String jcaName, int length) {
            this.jcaName = jcaName;
            this.length = length;
        }

        public String displayName() {
            return jcaName;
        }
    }

    private final Algorithm algorithm;
    private final byte[] digest;

    private CertificateFingerprint(Algorithm algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /**
     * Parses a configured pin.
     *
     * @throws VSphereException.InvalidSettings if it is neither 32 (SHA-256) nor 20 (SHA-1) hex bytes
     */
    public static CertificateFingerprint parse(String text) {
        String hex = stripAlgorithmPrefix(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))
                .replaceAll("[:\\s-]", "");
        if (!hex.matches("[0-9a-f]*")) {
            throw invalid(text, "it contains characters other than hex digits and colons");
        }
        for (Algorithm algorithm : Algorithm.values()) {
            if (hex.length() == algorithm.length * 2) {
                return new CertificateFingerprint(algorithm, HexFormat.of().parseHex(hex));
            }
        }
        throw invalid(text, "it has " + hex.length() + " hex digits, not 64 (SHA-256) or 40 (SHA-1)");
    }

    /** The fingerprint of a certificate with the given algorithm. */
    public static CertificateFingerprint of(X509Certificate certificate, Algorithm algorithm) {
        try {
            MessageDigest md = MessageDigest.getInstance(algorithm.jcaName);
            return new CertificateFingerprint(algorithm, md.digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute the " + algorithm.jcaName + " fingerprint", e);
        }
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    /** Whether this pin designates that certificate. */
    public boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(digest, of(certificate, algorithm).digest);
    }

    /** Upper-case, colon-separated hex, the way vCenter shows thumbprints. */
    public String hex() {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    @Override
    public String toString() {
        return algorithm.jcaName + " " + hex();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CertificateFingerprint that
                && algorithm == that.algorithm && Arrays.equals(digest, that.digest);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(digest);
    }

    private static String stripAlgorithmPrefix(String text) {
        for (String prefix : new String[] {"sha-256", "sha256", "sha-1", "sha1"}) {
            if (text.startsWith(prefix)) {
                return text.substring(prefix.length()).replaceFirst("^[\\s:=]+", "");
            }
        }
        return text;
    }

    private static VSphereException.InvalidSettings invalid(String text, String why) {
        return new VSphereException.InvalidSettings("The pinned vCenter certificate fingerprint '" + text
                + "' is not usable: " + why + ". Copy the SHA-256 fingerprint (or the SHA-1 thumbprint) of the "
                + "vCenter certificate, e.g. from `openssl s_client -connect <vcenter>:443 | openssl x509 "
                + "-noout -fingerprint -sha256`.", null);
    }
}
