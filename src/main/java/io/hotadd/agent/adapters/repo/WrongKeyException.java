package io.hotadd.agent.adapters.repo;

/** The passphrase or key file given opens none of the repository's keys; nothing was decrypted. */
public final class WrongKeyException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    public WrongKeyException(String message) {
        super(message, false, null);
    }
}
