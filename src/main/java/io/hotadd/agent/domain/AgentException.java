package io.hotadd.agent.domain;

/**
 * Base of every error the agent raises on purpose.
 *
 * <p>Unchecked, because the callers that can do something about an error (the job engine, the REST layer)
 * sit far above the code that detects it. Subclasses say what went wrong in a message that names the
 * object involved and what an operator can do about it, and tell the engine whether trying the same step
 * again later can succeed.
 *
 * <p>Not sealed: sealing across packages needs a named module, and the adapters that extend this class
 * live in other packages of the same (unnamed) module.
 */
public abstract class AgentException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected AgentException(String message) {
        super(message);
    }

    protected AgentException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether the failed step may succeed if run again unchanged after a pause (a network blip, a lock held
     * by another task). False when a person has to change something first (credentials, permissions,
     * configuration, the state of a VM).
     */
    public abstract boolean isRetriable();
}
