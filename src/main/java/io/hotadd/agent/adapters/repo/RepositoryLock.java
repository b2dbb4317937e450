package io.hotadd.agent.adapters.repo;

import java.time.Instant;

/**
 * A held lock. {@link #refresh} (called periodically by the repository's scheduler) writes a new lock
 * object with the current time, then deletes the old one, as restic does. Before a restore point becomes
 * visible, {@link #checkHeld} makes sure the lock was never lost: if refreshing failed for so long that
 * others may have taken it for stale, a prune may have run, so the commit must not happen.
 */
final class RepositoryLock implements AutoCloseable {
    private final RepositoryLocks locks;
    private RepositoryLocks.LockRecord record;
    private String name;
    private Instant lastRefresh;
    private boolean released;

    RepositoryLock(RepositoryLocks locks, RepositoryLocks.LockRecord record, String name) {
        this.locks = locks;
        this.record = record;
        this.name = name;
        this.lastRefresh = record.time();
    }

    synchronized String objectName() {
        return name;
    }

    synchronized void refresh() {
        if (released) {
            return;
        }
        RepositoryLocks.LockRecord fresh = new RepositoryLocks.LockRecord(record.owner(), record.host(),
                record.pid(), locks.now(), record.exclusive(), record.purpose());
        String freshName = locks.write(fresh);
        String old = name;
        record = fresh;
        name = freshName;
        lastRefresh = fresh.time();
        locks.delete(old);
    }

    /** @throws RepositoryLockedException when the lock may have been taken for stale by another process */
    synchronized void checkHeld() {
        boolean fresh = lastRefresh.plus(locks.staleAfter()).isAfter(locks.now());
        if (released || !fresh || !locks.exists(name)) {
            throw new RepositoryLockedException("lost the lock " + name + " on the repository (last refreshed "
                    + lastRefresh + "); another process may have pruned meanwhile, so nothing was committed;"
                    + " run the backup again");
        }
    }

    @Override
    public synchronized void close() {
        if (!released) {
            released = true;
            locks.delete(name);
        }
    }
}
