package io.hotadd.agent.adapters.repo;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongPredicate;

/**
 * What the repository takes from its surroundings, injected so tests control time, randomness, threads
 * and process identity.
 *
 * @param clock        lock times, restore point times
 * @param random       keys, nonces and object names; a {@link SecureRandom} except in golden-file tests
 * @param workers      runs hashing, compression, encryption and storage writes of chunks
 * @param parallelism  how many chunks are worked on at once (the workers' thread count). Chunks are worked
 *                     on in the engine's read buffers; callers that hand data over without a hold use up to
 *                     {@code 2 x parallelism + 2} chunk copies per writer. {@code parallelism + 1} direct
 *                     pack buffers (pack size plus a chunk each) stay allocated while the repository is open
 * @param scheduler    refreshes held locks every {@code lockRefresh}
 * @param host         this machine's name in lock objects
 * @param pid          this process's id in lock objects
 * @param pidAlive     whether a process of this host is alive (stale lock detection)
 * @param staleLockAfter a lock not refreshed for this long is ignored by others
 */
public record RepositoryEnvironment(Clock clock, Random random, ExecutorService workers, int parallelism,
                                    ScheduledExecutorService scheduler, Duration lockRefresh, String host, long pid,
                                    LongPredicate pidAlive, Duration staleLockAfter) {

    public RepositoryEnvironment {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if (!lockRefresh.multipliedBy(2).minus(staleLockAfter).isNegative()) {
            throw new IllegalArgumentException("locks must be refreshed (every " + lockRefresh + ") well within"
                    + " the stale timeout " + staleLockAfter);
        }
    }

    /** Production settings: system clock, SecureRandom, this host and pid, restic's 30-minute staleness. */
    public static RepositoryEnvironment standard(ExecutorService workers, int parallelism,
                                                 ScheduledExecutorService scheduler) {
        return new RepositoryEnvironment(Clock.systemUTC(), new SecureRandom(), workers, parallelism, scheduler,
                Duration.ofMinutes(5), hostName(), ProcessHandle.current().pid(), RepositoryLocks::processAlive,
                Duration.ofMinutes(30));
    }

    public RepositoryEnvironment withClock(Clock c) {
        return new RepositoryEnvironment(c, random, workers, parallelism, scheduler, lockRefresh, host, pid,
                pidAlive, staleLockAfter);
    }

    public RepositoryEnvironment withRandom(Random r) {
        return new RepositoryEnvironment(clock, r, workers, parallelism, scheduler, lockRefresh, host, pid,
                pidAlive, staleLockAfter);
    }

    public RepositoryEnvironment withProcess(String h, long p, LongPredicate alive) {
        return new RepositoryEnvironment(clock, random, workers, parallelism, scheduler, lockRefresh, h, p, alive,
                staleLockAfter);
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown-host");
        }
    }
}
