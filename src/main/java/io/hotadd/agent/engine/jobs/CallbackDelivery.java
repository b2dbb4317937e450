package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.port.CallbackSender;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * POSTs a job's final document to the callback URL it named, once it has ended. Retries on connection
 * errors, 5xx, 408 and 429 with exponential backoff (initial delay doubling up to a cap) for a bounded
 * number of attempts; other answers end the delivery (2xx: delivered, other 4xx: the server refused it, a
 * retry would be refused again). Attempts are scheduled, not slept, so waiting ties up no thread. Delivery
 * is at most once per job end: a restart in between loses it, and the central server polls as a fallback.
 */
public final class CallbackDelivery implements JobListener {
    private static final Logger LOG = Logger.getLogger(CallbackDelivery.class);

    private final CallbackSender sender;
    private final ScheduledExecutorService timer;
    private final Function<Job, byte[]> document;
    private final Policy policy;

    /**
     * @param attempts     tries in all, the first included
     * @param initialDelay wait before the second try; doubled for each further one
     * @param maxDelay     the longest wait between two tries
     * @param timeout      how long one POST may take
     */
    public record Policy(int attempts, Duration initialDelay, Duration maxDelay, Duration timeout) {
        public Policy {
            if (attempts < 1 || attempts > 20) {
                throw new IllegalArgumentException("callback attempts must be 1..20; got " + attempts);
            }
            if (initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || timeout.isZero()
                    || timeout.isNegative()) {
                throw new IllegalArgumentException("callback delays must satisfy 0 <= initial <= max and the timeout "
                        + "must be positive; got initial " + initialDelay + ", max " + maxDelay + ", timeout " + timeout);
            }
        }

        /** The wait before try {@code n} (n >= 2). */
        Duration delayBefore(int n) {
            long factor = 1L << Math.min(30, n - 2);
            Duration d = initialDelay.multipliedBy(factor);
            return d.compareTo(maxDelay) > 0 || d.isNegative() ? maxDelay : d;
        }
    }

    /** @param document the job as the API shows it, as JSON bytes */
    public CallbackDelivery(CallbackSender sender, ScheduledExecutorService timer, Function<Job, byte[]> document,
                            Policy policy) {
        this.sender = sender;
        this.timer = timer;
        this.document = document;
        this.policy = policy;
    }

    @Override
    public void changed(Job job, Change change) {
        if (change == Change.STATE && job.state().isTerminal() && job.request().callbackUrl().isPresent()) {
            URI url = URI.create(job.request().callbackUrl().get());
            byte[] body = document.apply(job);
            schedule(job.id(), url, body, 1, Duration.ZERO);
        }
    }

    private void schedule(String jobId, URI url, byte[] body, int attempt, Duration delay) {
        try {
            timer.schedule(() -> attempt(jobId, url, body, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            LOG.warnf("Callback for job %s to %s not sent: the agent is stopping", jobId, safe(url));
        }
    }

    private void attempt(String jobId, URI url, byte[] body, int attempt) {
        String outcome;
        boolean retry;
        try {
            int status = sender.post(url, body, policy.timeout());
            if (status >= 200 && status < 300) {
                LOG.infof("Callback for job %s delivered to %s (HTTP %d, attempt %d)", jobId, safe(url), status, attempt);
                return;
            }
            outcome = "HTTP " + status;
            retry = status >= 500 || status == 408 || status == 429;
        } catch (UncheckedIOException | IllegalArgumentException e) {
            outcome = e.getMessage();
            retry = e instanceof UncheckedIOException;
        }
        if (retry && attempt < policy.attempts()) {
            Duration wait = policy.delayBefore(attempt + 1);
            LOG.infof("Callback for job %s to %s failed (%s); attempt %d of %d in %s", jobId, safe(url), outcome,
                    attempt + 1, policy.attempts(), wait);
            schedule(jobId, url, body, attempt + 1, wait);
        } else {
            LOG.warnf("Callback for job %s to %s given up after attempt %d (%s); the server can still read the job "
                    + "with GET /api/v1/jobs/%s", jobId, safe(url), attempt, outcome, jobId);
        }
    }

    /** The URL without its query or user info, which may carry a token. */
    static String safe(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
