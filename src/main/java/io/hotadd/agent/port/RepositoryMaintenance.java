package io.hotadd.agent.port;

import io.hotadd.agent.domain.RepositoryCheck;

/** Looking after the backup repository as a whole, as opposed to writing and reading restore points. */
public interface RepositoryMaintenance {

    /**
     * Reads every object of the repository back and checks it (decrypts, decompresses, hashes). Slow:
     * proportional to the repository's size. Runs while backups write; never changes anything.
     */
    RepositoryCheck verifyAll();

    /** Whether the repository is usable right now: reachable, unlocked, and writable (probed by a small write). */
    Status status();

    /**
     * @param location where the repository is (a path or bucket URL; never a credential)
     * @param detail   why it is not writable, or a short description when it is
     */
    record Status(String location, boolean writable, String detail) {
    }
}
