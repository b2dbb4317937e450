package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/** A cleanup step that could not be done after a failed job; attached to the job's error as suppressed. */
public final class CleanupIncomplete extends AgentException {
    private static final long serialVersionUID = 1L;

    public CleanupIncomplete(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
