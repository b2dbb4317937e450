package io.hotadd.agent.adapters.repo;

/**
 * Data in the repository failed its integrity check (authentication tag, hash, structure) or is missing.
 * Nothing from the damaged object is handed out. Run verify to list every restore point affected.
 */
public final class RepositoryCorruptException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public RepositoryCorruptException(String message) {
        super(message, false, null);
    }

    public RepositoryCorruptException(String message, Throwable cause) {
        super(message, false, cause);
    }
}
