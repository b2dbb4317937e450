package io.hotadd.agent.adapters.repo;

/** A storage object that should exist does not. Never retriable: waiting does not bring it back. */
public final class ObjectNotFoundException extends StorageException {
    private static final long serialVersionUID = 1L;

    public ObjectNotFoundException(String object, String where) {
        super(object, "object " + object + " not found in " + where, false, null);
    }
}
