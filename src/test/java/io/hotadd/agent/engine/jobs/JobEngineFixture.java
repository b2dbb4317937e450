package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.fakes.FakeEnvironment;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.JobStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A job engine over {@link FakeEnvironment}, with a way to hold backups in their read phase. */
final class JobEngineFixture implements AutoCloseable {
    final FakeEnvironment env = new FakeEnvironment();
    final ExecutorService jobThreads = Executors.newCachedThreadPool();
    final Readiness readiness = new Readiness(Clock.systemUTC());
    final JobStore store;
    final JobEngine engine;
    private final AtomicInteger ids = new AtomicInteger();
    /** Reads wait for this while it is closed. */
    volatile CountDownLatch readsMayGo = new CountDownLatch(0);
    /** Opens at the first read after construction or the last {@link #holdReads()}. */
    volatile CountDownLatch aReadStarted = new CountDownLatch(1);

    JobEngineFixture(JobStore store, int maxJobs) {
        this.store = store;
        env.guest.beforeRead = offset -> {
            CountDownLatch started = aReadStarted;
            started.countDown();
            await(readsMayGo);
        };
        engine = new JobEngine(new JobEngine.Parts(store, env.workflow, env.repo, env.repo, jobThreads,
                Clock.systemUTC(), () -> "job-" + ids.incrementAndGet(), new JobEngineSettings(maxJobs,
                Duration.ZERO, Duration.ofSeconds(10), Duration.ofDays(1)), JobMetrics.NONE, readiness));
        readiness.up(Readiness.Condition.STARTUP_FINISHED, "test");
    }

    void holdReads() {
        aReadStarted = new CountDownLatch(1);
        readsMayGo = new CountDownLatch(1);
    }

    void releaseReads() {
        readsMayGo.countDown();
    }

    static JobRequest request(BackupMode mode, String key, String fingerprint) {
        return new JobRequest(mode, false, Map.of("policy", "gold"), Optional.empty(), Optional.ofNullable(key),
                fingerprint);
    }

    Submitted backup(FakeVm vm) {
        return engine.submitBackup(new VmSelector.ByName(vm.name), request(BackupMode.AUTO, null, "fp"));
    }

    /** Waits until the job satisfies {@code condition}; fails the test after 10 s. */
    Job awaitJob(String id, Predicate<Job> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Job j = engine.get(id);
            if (condition.test(j)) {
                return j;
            }
            sleep(5);
        }
        throw new AssertionError("job " + id + " did not get there in 10 s; it is " + engine.get(id));
    }

    Job awaitEnd(String id) {
        return awaitJob(id, j -> j.state().isTerminal());
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("reads held for more than 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        releaseReads();
        jobThreads.shutdownNow();
        env.close();
    }
}
