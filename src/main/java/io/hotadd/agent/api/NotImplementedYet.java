package io.hotadd.agent.api;

import io.hotadd.agent.domain.AgentException;

/** A documented endpoint whose feature has not landed yet (501). */
public final class NotImplementedYet extends AgentException {
    private static final long serialVersionUID = 1L;

    public NotImplementedYet(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
