package io.hotadd.agent.adapters.repo;

/**
 * Another process holds a lock that conflicts with the one asked for (prune runs alone). Retriable: the
 * holder finishes, or its lock goes stale if it died.
 */
public final class RepositoryLockedException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public RepositoryLockedException(String message) {
        super(message, true, null);
    }
}
