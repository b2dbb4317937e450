package io.hotadd.agent.boot;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's own threads, named so a thread dump tells what each does: one per running job, reader
 * threads that keep disks busy, the threads that copy disks of one job in parallel, the repository's chunk
 * workers and lock refresher, and a timer for callback retries. Shut down when the agent stops (after the jobs were asked to clean up).
 */
@Singleton
public class AgentExecutors {
    final ExecutorService jobs;
    final ExecutorService extentReaders = Executors.newCachedThreadPool(named("hotadd-read"));
    final ExecutorService diskCopies = Executors.newCachedThreadPool(named("hotadd-disk"));
    final ScheduledExecutorService callbacks = Executors.newSingleThreadScheduledExecutor(named("hotadd-callback"));
    final ExecutorService startup = Executors.newSingleThreadExecutor(named("hotadd-startup"));
    final ScheduledExecutorService cleanupRetry = Executors.newSingleThreadScheduledExecutor(named("hotadd-cleanup"));
    final ExecutorService repositoryWorkers;
    final ScheduledExecutorService repositoryTimer = Executors.newSingleThreadScheduledExecutor(named("hotadd-repo-lock"));

    AgentExecutors(AgentConfig config) {
        this.jobs = Executors.newFixedThreadPool(config.limits().maxJobs(), named("hotadd-job"));
        this.repositoryWorkers = Executors.newFixedThreadPool(config.repository().parallelism(), named("hotadd-chunk"));
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @PreDestroy
    void stop() {
        startup.shutdownNow();
        cleanupRetry.shutdownNow();
        callbacks.shutdownNow();
        jobs.shutdownNow();
        diskCopies.shutdownNow();
        extentReaders.shutdownNow();
        repositoryWorkers.shutdownNow();
        repositoryTimer.shutdownNow();
    }
}
