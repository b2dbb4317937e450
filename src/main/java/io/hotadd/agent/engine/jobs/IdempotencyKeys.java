package io.hotadd.agent.engine.jobs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Idempotency-Key → (request fingerprint, job id). The pairs live in the jobs themselves (so they are as
 * durable as the jobs and go with them at retention); this index is rebuilt from the jobs at start. A key
 * is claimed while its request is being checked, so two copies of one request arriving together cannot
 * both create a job.
 */
final class IdempotencyKeys {
    private final Map<String, Claim> byKey = new HashMap<>();

    /** @param jobId null while the first request with the key is still being checked */
    private record Claim(String fingerprint, String jobId) {
    }

    /**
     * Answers the job an earlier identical request created; or claims the key for this request and answers
     * empty (the caller then creates the job and {@link #complete}s the claim, or {@link #release}s it).
     *
     * @throws IdempotencyConflict when the key was used with another request, or its first request is still
     *                             being checked
     */
    synchronized Optional<String> claim(String key, String fingerprint) {
        Claim c = byKey.get(key);
        if (c == null) {
            byKey.put(key, new Claim(fingerprint, null));
            return Optional.empty();
        }
        if (!c.fingerprint().equals(fingerprint)) {
            throw IdempotencyConflict.reused(key, c.jobId());
        }
        if (c.jobId() == null) {
            throw IdempotencyConflict.inFlight(key);
        }
        return Optional.of(c.jobId());
    }

    synchronized void complete(String key, String jobId) {
        Claim c = byKey.get(key);
        byKey.put(key, new Claim(c.fingerprint(), jobId));
    }

    /** The request with this key created nothing (it was refused): a retry is checked afresh. */
    synchronized void release(String key) {
        byKey.remove(key);
    }

    /** Puts back the pair a stored job carries. */
    synchronized void remember(String key, String fingerprint, String jobId) {
        byKey.put(key, new Claim(fingerprint, jobId));
    }

    synchronized void forget(String key) {
        byKey.remove(key);
    }
}
