package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/**
 * A restore point's VM configuration blob cannot be read (not a configuration document, or a newer format):
 * a restore as a new VM is impossible, restoring its disks elsewhere still works. Not retriable.
 */
public final class UnreadableVmConfig extends AgentException {
    private static final long serialVersionUID = 1L;

    public UnreadableVmConfig(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
