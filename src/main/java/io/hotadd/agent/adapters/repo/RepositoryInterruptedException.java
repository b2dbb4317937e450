package io.hotadd.agent.adapters.repo;

/** The thread writing to or reading from the repository was interrupted (the job was cancelled). */
public final class RepositoryInterruptedException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public RepositoryInterruptedException(String message) {
        super(message, true, null);
    }
}
