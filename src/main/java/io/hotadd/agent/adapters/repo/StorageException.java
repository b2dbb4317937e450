package io.hotadd.agent.adapters.repo;

/**
 * A storage operation failed on a named object. Full disks and refused permissions are not retriable (an
 * operator must free space or fix access first); network and transient I/O errors are.
 */
public class StorageException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    private final String object;

    public StorageException(String object, String message, boolean retriable, Throwable cause) {
        super(message, retriable, cause);
        this.object = object;
    }

    /** The storage object (local path or bucket key) the failed operation was on. */
    public String object() {
        return object;
    }
}
