package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/**
 * A backup refused before anything was changed in vCenter; the message names the VM (and disk) and what
 * an administrator can do. Not retriable: the same request fails the same way until someone acts.
 */
public final class PreflightRefused extends AgentException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public PreflightRefused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** A stable, machine-readable reason, e.g. {@code ide-disk}, for API problem types and metrics. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
