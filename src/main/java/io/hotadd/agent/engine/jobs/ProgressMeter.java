package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.JobProgress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bytes done against bytes planned, and the read rate over a sliding window, so the rate (and the ETA
 * from it) follows what the disks do now rather than the average since the job began, which a slow start
 * (snapshot, clone, attach) would drag down for the whole job. Time comes from the injected clock.
 */
final class ProgressMeter {
    /** Samples closer than this are merged: a fast disk reports every buffer, hundreds of times a second. */
    private static final long SAMPLE_MILLIS = 250;

    private final Clock clock;
    private final long windowMillis;
    private final Deque<long[]> samples = new ArrayDeque<>(); // {epochMillis, bytesDone}, oldest first
    private long total;
    private long done;

    ProgressMeter(Clock clock, Duration window) {
        if (window.toMillis() < SAMPLE_MILLIS * 2) {
            throw new IllegalArgumentException("the rate window must be at least " + 2 * SAMPLE_MILLIS + " ms, was "
                    + window);
        }
        this.clock = clock;
        this.windowMillis = window.toMillis();
    }

    /** Reading starts: {@code bytesTotal} is what will be read. */
    synchronized void planned(long bytesTotal) {
        total = bytesTotal;
        samples.clear();
        samples.addLast(new long[] {clock.millis(), done});
    }

    synchronized void add(long bytes) {
        done += bytes;
        long now = clock.millis();
        long[] last = samples.peekLast();
        if (last != null && now - last[0] < SAMPLE_MILLIS) {
            last[1] = done;
        } else {
            samples.addLast(new long[] {now, done});
        }
    }

    synchronized JobProgress now() {
        long now = clock.millis();
        long[] base = windowStart(now);
        long rate = 0;
        if (base != null && now > base[0]) {
            rate = (done - base[1]) * 1000 / (now - base[0]);
        }
        long left = Math.max(0, total - done);
        long eta = total == 0 ? -1 : left == 0 ? 0 : rate > 0 ? (left + rate - 1) / rate : -1;
        return new JobProgress(total, done, rate, eta, percent(done, total));
    }

    /** Progress of a job that read everything it planned. */
    synchronized JobProgress complete() {
        return new JobProgress(total, done, 0, 0, 100.0);
    }

    /** The newest sample at or before the window's start, dropping older ones; else the oldest there is. */
    private long[] windowStart(long now) {
        long start = now - windowMillis;
        while (samples.size() > 1) {
            long[] first = samples.pollFirst();
            long[] second = samples.peekFirst();
            if (second[0] > start) {
                samples.addFirst(first);
                break;
            }
        }
        return samples.peekFirst();
    }

    static double percent(long done, long total) {
        if (total <= 0) {
            return 0;
        }
        return Math.min(1000, done * 1000 / total) / 10.0;
    }
}
