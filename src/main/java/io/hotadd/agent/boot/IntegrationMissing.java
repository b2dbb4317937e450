package io.hotadd.agent.boot;

import io.hotadd.agent.domain.AgentException;

/** This build of the agent lacks an adapter it needs (see {@link VSphereFactory}, {@link RepositoryFactory}). */
public final class IntegrationMissing extends AgentException {
    private static final long serialVersionUID = 1L;

    public IntegrationMissing(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
