package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;

/** The agent is still starting (or cannot reach what jobs need): come back later. */
public final class EngineNotReady extends AgentException {
    private static final long serialVersionUID = 1L;

    public EngineNotReady(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
