package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;

/** An Idempotency-Key that cannot be honoured: used for another request, or its first use is in progress. */
public final class IdempotencyConflict extends AgentException {
    private static final long serialVersionUID = 1L;
    private final boolean inFlight;

    private IdempotencyConflict(String message, boolean inFlight) {
        super(message);
        this.inFlight = inFlight;
    }

    static IdempotencyConflict reused(String key, String jobId) {
        return new IdempotencyConflict("The Idempotency-Key '" + key + "' was already used with a different request"
                + (jobId == null ? "" : " (it created job " + jobId + ")") + "; send a new key for a new request, or "
                + "repeat the original request exactly to get its job.", false);
    }

    static IdempotencyConflict inFlight(String key) {
        return new IdempotencyConflict("A request with the Idempotency-Key '" + key + "' is still being processed; "
                + "retry in a moment to get its job.", true);
    }

    /** True when the first request with the key has not finished yet (worth retrying), false when reused. */
    public boolean inFlight() {
        return inFlight;
    }

    @Override
    public boolean isRetriable() {
        return inFlight;
    }
}
