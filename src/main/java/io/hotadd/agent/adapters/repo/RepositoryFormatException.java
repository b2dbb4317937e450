package io.hotadd.agent.adapters.repo;

/**
 * The storage holds no repository, a repository of a format version this agent does not know, or settings
 * out of range. Not retriable: it needs another agent version or another location.
 */
public final class RepositoryFormatException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public RepositoryFormatException(String message) {
        super(message, false, null);
    }
}
