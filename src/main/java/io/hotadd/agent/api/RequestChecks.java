package io.hotadd.agent.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** Checks shared by the request bodies; each refusal names the field and what is allowed. */
final class RequestChecks {
    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 256;
    static final int MAX_KEY_LENGTH = 200;

    private RequestChecks() {
    }

    static Map<String, String> tags(Map<String, String> tags) {
        if (tags == null) {
            return Map.of();
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("'tags' holds " + tags.size() + " entries; at most " + MAX_TAGS + " are kept");
        }
        tags.forEach((k, v) -> {
            if (k.isEmpty() || k.length() > MAX_TAG_LENGTH || v == null || v.length() > MAX_TAG_LENGTH) {
                throw invalid("tag '" + abbreviate(k) + "' must have a name and a value of 1.." + MAX_TAG_LENGTH
                        + " characters");
            }
        });
        return Map.copyOf(tags);
    }

    static Optional<String> callbackUrl(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI u = new URI(url.trim());
            if (!("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))
                    || u.getHost() == null || u.getRawFragment() != null) {
                throw invalid("'callbackUrl' must be an absolute http(s) URL with a host and no fragment; got '"
                        + abbreviate(url) + "'");
            }
            return Optional.of(u.toString());
        } catch (URISyntaxException e) {
            throw invalid("'callbackUrl' is not a URL (" + e.getReason() + "): '" + abbreviate(url) + "'");
        }
    }

    static Optional<String> idempotencyKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        if (key.isBlank() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new InvalidRequest("invalid-idempotency-key", "The Idempotency-Key header must be 1.."
                    + MAX_KEY_LENGTH + " visible ASCII characters, such as a UUID.");
        }
        return Optional.of(key);
    }

    static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static InvalidRequest invalid(String message) {
        return new InvalidRequest("invalid-request", "The request is not valid: " + message + ".");
    }
}
