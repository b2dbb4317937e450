package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/**
 * A restore refused before anything was changed: the request names something that does not exist or cannot
 * be restored over (a running VM, a taken name, a disk too small). The message names the object and what to
 * do; {@link #reason()} is a stable slug for API problem types (a 4xx from the dry run). Not retriable: the
 * same request fails the same way until someone acts.
 */
public final class RestoreRefused extends AgentException {
    private static final long serialVersionUID = 1L;
    private final String reason;

    public RestoreRefused(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** E.g. {@code target-powered-on}, {@code name-taken}, {@code unknown-disk}; see docs/restore.md. */
    public String reason() {
        return reason;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
