package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.domain.AgentException;

/**
 * Base of the repository's errors. Subclasses name what failed: the storage object, the restore point,
 * disk, offset and chunk, and say what an operator can do.
 */
public abstract class RepositoryException extends AgentException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    protected RepositoryException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    @Override
    public boolean isRetriable() {
        return retriable;
    }
}
