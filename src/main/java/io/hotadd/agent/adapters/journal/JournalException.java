package io.hotadd.agent.adapters.journal;

import io.hotadd.agent.domain.AgentException;

/** The journal cannot be read or written; jobs must not run without it. */
public final class JournalException extends AgentException {
    private static final long serialVersionUID = 1L;

    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
