package io.hotadd.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of what a request asks for, to tell a retry (same Idempotency-Key, same request) from a reuse
 * of the key for something else. Computed over the parsed body written back in a canonical form (fields in
 * declaration order, map entries sorted), so whitespace or key order in the client's JSON do not matter.
 */
final class RequestFingerprint {
    private final ObjectMapper canonical;

    RequestFingerprint(ObjectMapper json) {
        this.canonical = json.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    String of(String operation, Object body) {
        try {
            byte[] bytes = canonical.writeValueAsBytes(body);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((operation + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(sha.digest(bytes));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint a parsed request body", e);
        }
    }
}
