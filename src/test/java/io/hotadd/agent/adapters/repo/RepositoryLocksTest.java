package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.fakes.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lock protocol on its own, with a hand-moved clock and made-up processes. */
class RepositoryLocksTest {
    private final MemoryStorage storage = new MemoryStorage();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final Duration stale = Duration.ofMinutes(30);

    private RepositoryLocks process(String host, long pid, boolean othersAlive) {
        return new RepositoryLocks(storage, clock, new Random(), host, pid, stale, p -> othersAlive);
    }

    @Test
    void sharedLocksCoexistAndAnExclusiveOneWaitsForThem() {
        RepositoryLock a = process("h1", 1, true).acquire(false, "backup a");
        RepositoryLock b = process("h2", 2, true).acquire(false, "backup b");
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                () -> process("h3", 3, true).acquire(true, "prune"));
        assertTrue(e.getMessage().contains("backup") && e.isRetriable(), e.getMessage());
        assertEquals(2, storage.list(RepoLayout.LOCKS).size(), "the refused lock was taken back");
        a.close();
        b.close();
        RepositoryLock prune = process("h3", 3, true).acquire(true, "prune");
        assertThrows(RepositoryLockedException.class, () -> process("h1", 1, true).acquire(false, "backup"));
        prune.close();
    }

    @Test
    void aLockNotRefreshedWithinTheTimeoutIsStaleButARefreshedOneIsNot() {
        RepositoryLock refreshed = process("h1", 1, true).acquire(false, "long backup");
        process("h2", 2, true).acquire(false, "crashed backup");
        clock.advance(Duration.ofMinutes(20));
        refreshed.refresh();
        clock.advance(Duration.ofMinutes(20));
        assertThrows(RepositoryLockedException.class, () -> process("h3", 3, true).acquire(true, "prune"),
                "the refreshed lock still counts");
        refreshed.close();
        RepositoryLock prune = process("h3", 3, true).acquire(true, "prune");
        assertEquals(1, storage.list(RepoLayout.LOCKS).size(), "the stale lock was cleared by the exclusive locker");
        prune.close();
    }

    @Test
    void aLockOfADeadProcessOnThisHostIsStaleAtOnceButNotOneFromAnotherHost() {
        process("h1", 41, true).acquire(false, "backup killed with -9");
        RepositoryLock prune = process("h1", 42, false).acquire(true, "prune");
        prune.close();
        process("h9", 41, true).acquire(false, "backup on another proxy");
        assertThrows(RepositoryLockedException.class, () -> process("h1", 42, false).acquire(true, "prune"),
                "a pid of another host says nothing about this host's processes");
    }

    @Test
    void aLockThatWentStaleCannotCommit() {
        RepositoryLock lock = process("h1", 1, true).acquire(false, "backup");
        lock.checkHeld();
        clock.advance(stale.plusMinutes(1));
        RepositoryLockedException e = assertThrows(RepositoryLockedException.class, lock::checkHeld);
        assertTrue(e.getMessage().contains("nothing was committed"), e.getMessage());
        RepositoryLock other = process("h2", 2, true).acquire(false, "backup");
        other.refresh();
        storage.delete(other.objectName());
        assertThrows(RepositoryLockedException.class, other::checkHeld, "a lock removed by someone else is lost");
    }
}
