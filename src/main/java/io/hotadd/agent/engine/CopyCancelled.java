package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/** A copy stopped because its job was cancelled; the workflow then runs its full cleanup. */
public final class CopyCancelled extends AgentException {
    private static final long serialVersionUID = 1L;

    public CopyCancelled(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
