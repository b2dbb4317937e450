package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongPredicate;

/**
 * Lock objects in {@code locks/}, as restic keeps them: JSON naming host, pid, time and kind. Writers and
 * readers take shared locks and may work at once; prune takes an exclusive one and runs alone.
 *
 * <p>Acquiring writes the lock under a fresh random name, then lists {@code locks/}: if a conflicting lock
 * that is not stale is there, the new one is deleted again and {@link RepositoryLockedException} names the
 * holder. Because each side writes before it lists, and every backend lists what was put before (S3 has
 * been strongly consistent since 2020), two racing processes cannot both miss each other: at worst both
 * back off. No rename or compare-and-swap is needed, which is what makes this work on S3.
 *
 * <p>A lock is stale when its time is older than {@code staleAfter} (the holder stopped refreshing), or
 * when it was written on this host by a process that is no longer alive. Clocks of proxies sharing a
 * repository must agree to well within {@code staleAfter}.
 */
final class RepositoryLocks {
    /** One lock object. {@code owner} stays the same across refreshes; the object name changes. */
    record LockRecord(String owner, String host, long pid, Instant time, boolean exclusive, String purpose) {
    }

    private final Storage storage;
    private final Clock clock;
    private final Random random;
    private final String host;
    private final long pid;
    private final Duration staleAfter;
    private final LongPredicate pidAlive;

    RepositoryLocks(Storage storage, Clock clock, Random random, String host, long pid, Duration staleAfter,
                    LongPredicate pidAlive) {
        this.storage = storage;
        this.clock = clock;
        this.random = random;
        this.host = host;
        this.pid = pid;
        this.staleAfter = staleAfter;
        this.pidAlive = pidAlive;
    }

    Duration staleAfter() {
        return staleAfter;
    }

    /** @throws RepositoryLockedException naming the holder of a conflicting lock */
    RepositoryLock acquire(boolean exclusive, String purpose) {
        LockRecord mine = new LockRecord(Ids.randomHex(random, 8), host, pid, clock.instant(), exclusive, purpose);
        String name = write(mine);
        for (Held other : others(name)) {
            if (isStale(other.record())) {
                if (exclusive) {
                    storage.delete(other.name()); // a dead holder's lock; prune clears it on its way
                }
                continue;
            }
            if (exclusive || other.record().exclusive()) {
                storage.delete(name);
                LockRecord h = other.record();
                throw new RepositoryLockedException("repository " + storage.location() + " is locked "
                        + (h.exclusive() ? "exclusively " : "") + "by " + h.purpose() + " (pid " + h.pid() + " on "
                        + h.host() + ", lock " + other.name() + ", refreshed " + h.time() + "); try again when it"
                        + " finishes, or delete the lock object if that process is gone");
            }
        }
        return new RepositoryLock(this, mine, name);
    }

    String write(LockRecord lock) {
        String name = RepoLayout.LOCKS + Ids.randomHex(random, 16);
        storage.put(name, ByteBuffer.wrap(RepoJson.write(lock)));
        return name;
    }

    void delete(String name) {
        storage.delete(name);
    }

    boolean exists(String name) {
        return storage.list(RepoLayout.LOCKS).stream().anyMatch(o -> o.name().equals(name));
    }

    Instant now() {
        return clock.instant();
    }

    boolean isStale(LockRecord lock) {
        if (lock.time().plus(staleAfter).isBefore(clock.instant())) {
            return true;
        }
        return lock.host().equals(host) && lock.pid() != pid && !pidAlive.test(lock.pid());
    }

    /** Locks other than {@code mine}; objects that vanish or do not parse between list and read are skipped. */
    List<Held> others(String mine) {
        List<Held> out = new ArrayList<>();
        for (Storage.StoredObject o : storage.list(RepoLayout.LOCKS)) {
            if (!o.name().equals(mine)) {
                read(o.name()).ifPresent(r -> out.add(new Held(o.name(), r)));
            }
        }
        return out;
    }

    private Optional<LockRecord> read(String name) {
        try {
            return Optional.of(RepoJson.read(storage.get(name), LockRecord.class, "lock " + name));
        } catch (ObjectNotFoundException | RepositoryCorruptException e) {
            return Optional.empty(); // released meanwhile, or half a lock of a crashed writer's old format
        }
    }

    record Held(String name, LockRecord record) {
    }

    static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
