package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import io.hotadd.agent.port.CallbackSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallbackDeliveryTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final List<String> posts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Answers the scripted statuses in order (-1 = no answer), then 200. */
    private CallbackSender scripted(Integer... statuses) {
        Deque<Integer> script = new ArrayDeque<>(List.of(statuses));
        return (url, json, timeout) -> {
            posts.add(url + " " + new String(json));
            Integer s = script.poll();
            if (s != null && s < 0) {
                throw new UncheckedIOException(new IOException("connection refused"));
            }
            return s == null ? 200 : s;
        };
    }

    private static Job ended(Optional<String> callback) {
        return Job.queued("job-1", JobType.VERIFY, null, new JobRequest(null, false, Map.of(), callback,
                Optional.empty(), "f"), Instant.EPOCH).ended(JobState.FAILED, Instant.EPOCH,
                new JobFailure("internal-error", "t", "d", false));
    }

    private void deliver(CallbackSender sender, int attempts, Job job) throws InterruptedException {
        CallbackDelivery d = new CallbackDelivery(sender, timer, j -> ("{\"id\":\"" + j.id() + "\"}").getBytes(),
                new CallbackDelivery.Policy(attempts, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(1)));
        d.changed(job, Change.STATE);
        Thread.sleep(200);
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void retriesServerErrorsAndSilenceUntilDelivered() throws Exception {
        deliver(scripted(503, -1, 500), 5, ended(Optional.of("http://central/cb?token=s3cret")));
        assertEquals(4, posts.size());
        assertEquals("http://central/cb?token=s3cret {\"id\":\"job-1\"}", posts.get(3));
    }

    @Test
    void givesUpAfterTheLastAttempt() throws Exception {
        deliver(scripted(500, 500, 500, 500), 3, ended(Optional.of("http://central/cb")));
        assertEquals(3, posts.size());
    }

    @Test
    void aRefusalIsNotRetriedAndJobsWithoutCallbackSendNothing() throws Exception {
        deliver(scripted(404), 5, ended(Optional.of("http://central/cb")));
        assertEquals(1, posts.size());
        posts.clear();
        new CallbackDelivery(scripted(), timer, j -> new byte[0], new CallbackDelivery.Policy(3, Duration.ZERO,
                Duration.ZERO, Duration.ofSeconds(1))).changed(ended(Optional.empty()), Change.STATE);
        assertEquals(List.of(), posts);
    }

    @Test
    void backoffDoublesUpToItsCap() {
        CallbackDelivery.Policy p = new CallbackDelivery.Policy(10, Duration.ofSeconds(1), Duration.ofSeconds(30),
                Duration.ofSeconds(5));
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L), List.of(2, 3, 4, 5, 6, 7, 8).stream()
                .map(n -> p.delayBefore(n).toSeconds()).toList());
    }

    @Test
    void logsNeverShowTheQueryOfACallbackUrl() {
        assertEquals("https://central:8443/cb", CallbackDelivery.safe(URI.create("https://u:p@central:8443/cb?t=x")));
    }
}
