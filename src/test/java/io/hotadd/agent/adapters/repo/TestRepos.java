package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.fakes.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Threads, clock and keys for repository tests; close it after each test. */
final class TestRepos implements AutoCloseable {
    static final KeySource KEY = KeySource.passphrase("correct horse battery staple");
    /** The minimum the repository accepts: keeps tests fast; production uses 600 000. */
    static final int TEST_ITERATIONS = KeyStore.MIN_ITERATIONS;
    static final int CHUNK = 64 << 10;

    final ExecutorService workers = Executors.newFixedThreadPool(2, daemon("repo-worker"));
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(daemon("repo-locks"));
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    RepositoryEnvironment env() {
        return new RepositoryEnvironment(clock, new SecureRandom(), workers, 2, scheduler, Duration.ofMinutes(5),
                "test-host", ProcessHandle.current().pid(), RepositoryLocks::processAlive, Duration.ofMinutes(30));
    }

    /** A new repository with 64 KiB chunks and 1 MiB packs, so small test disks still span several packs. */
    PackRepository init(Storage storage) {
        return PackRepository.init(storage, KEY, RepoConfig.defaults().withChunkSize(CHUNK).withPackSize(1 << 20),
                TEST_ITERATIONS, env());
    }

    PackRepository open(Storage storage) {
        return PackRepository.open(storage, KEY, env());
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        workers.shutdownNow();
        scheduler.shutdownNow();
    }
}
