package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/** The proxy VM itself is not usable for HotAdd until an administrator fixes something. */
public final class ProxySetupException extends AgentException {
    private static final long serialVersionUID = 1L;

    public ProxySetupException(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
