package io.hotadd.agent.api;

import io.hotadd.agent.engine.jobs.JobQuery;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Opaque, tamper-evident paging cursors: the position where a page ended and a digest of the filters it was
 * made for, signed with HMAC-SHA256 under a key only the agent holds. A client cannot forge a position or
 * reuse a cursor with other filters; the key is kept in the state directory, so cursors outlive a restart.
 */
public final class Cursors {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final SecretKeySpec key;

    public Cursors(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("a cursor key needs at least 32 bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** @param filters a canonical text of the query's filters (state, vm) */
    public String encode(JobQuery.Position position, String filters) {
        byte[] payload = (position.createdAt().toEpochMilli() + "|" + position.createdAt().getNano() + "|"
                + position.jobId() + "|" + filters).getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
    }

    /** @throws InvalidRequest when the cursor was not made by this agent, was altered, or is for other filters */
    public JobQuery.Position decode(String cursor, String filters) {
        Optional<byte[]> payload = verified(cursor);
        String[] parts = payload.map(p -> new String(p, StandardCharsets.UTF_8).split("\\|", 4)).orElse(null);
        if (parts == null || parts.length != 4) {
            throw invalid("it was not issued by this agent or has been altered");
        }
        if (!parts[3].equals(filters)) {
            throw invalid("it belongs to a listing with other filters (state, vm); repeat those filters with it");
        }
        try {
            long millis = Long.parseLong(parts[0]);
            Instant at = Instant.ofEpochMilli(millis).plusNanos(Integer.parseInt(parts[1]) % 1_000_000);
            return new JobQuery.Position(at, parts[2]);
        } catch (NumberFormatException e) {
            throw invalid("it was not issued by this agent or has been altered");
        }
    }

    private Optional<byte[]> verified(String cursor) {
        int dot = cursor == null ? -1 : cursor.indexOf('.');
        if (dot < 1) {
            return Optional.empty();
        }
        try {
            byte[] payload = B64D.decode(cursor.substring(0, dot));
            byte[] tag = B64D.decode(cursor.substring(dot + 1));
            return MessageDigest.isEqual(tag, mac(payload)) ? Optional.of(payload) : Optional.empty();
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    private static InvalidRequest invalid(String why) {
        return new InvalidRequest("invalid-cursor", "The cursor cannot be used: " + why + ". Start again from the "
                + "first page (no cursor) and follow the Link: rel=\"next\" of each page.");
    }
}
