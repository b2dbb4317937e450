package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobDisk;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobProgress;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns what a running backup or restore reports into changes of its job. Phases, planned disks and warnings are
 * stored as they happen; bytes read only move the in-memory progress, published at most once per
 * progress interval so a fast disk does not flood listeners (and SSE clients) with events.
 */
final class JobTracker implements JobObserver {
    private final JobBook book;
    private final String jobId;
    private final Clock clock;
    private final long intervalMillis;
    private final JobMetrics metrics;
    private final ProgressMeter meter;
    private final Map<Integer, AtomicLong> readPerDisk = new ConcurrentHashMap<>();
    private final AtomicLong lastPublished = new AtomicLong(); // epoch: the first read is always published

    JobTracker(JobBook book, String jobId, JobEngineSettings settings, Clock clock, JobMetrics metrics) {
        this.book = book;
        this.jobId = jobId;
        this.clock = clock;
        this.intervalMillis = settings.progressInterval().toMillis();
        this.metrics = metrics;
        this.meter = new ProgressMeter(clock, settings.rateWindow());
    }

    @Override
    public void phase(JobPhase phase) {
        if (phase.isCleanup()) {
            metrics.cleanupStep(phase);
        }
        book.update(jobId, j -> j.phase() == phase ? j : j.inPhase(phase), Change.PHASE, true);
    }

    @Override
    public void disksPlanned(List<DiskProgress> disks) {
        meter.planned(disks.stream().mapToLong(DiskProgress::bytesToRead).sum());
        disks.forEach(d -> readPerDisk.put(d.key(), new AtomicLong()));
        List<JobDisk> planned = disks.stream().map(d -> new JobDisk(d.key(), d.label(), d.capacityBytes(),
                d.bytesToRead(), 0, d.changeId())).toList();
        book.update(jobId, j -> j.withDisks(planned, meter.now()), Change.PROGRESS, true);
    }

    @Override
    public void bytesRead(int diskKey, long bytes) {
        metrics.bytesRead(bytes);
        moved(diskKey, bytes);
    }

    /** A restore's writes move the job's progress like reads, but are not bytes read from a disk. */
    @Override
    public void bytesWritten(int diskKey, long bytes) {
        moved(diskKey, bytes);
    }

    private void moved(int diskKey, long bytes) {
        meter.add(bytes);
        readPerDisk.computeIfAbsent(diskKey, k -> new AtomicLong()).addAndGet(bytes);
        long now = clock.millis();
        long last = lastPublished.get();
        if (now - last >= intervalMillis && lastPublished.compareAndSet(last, now)) {
            book.update(jobId, j -> j.withDisks(disksRead(j), meter.now()), Change.PROGRESS, false);
        }
    }

    @Override
    public void warning(String message) {
        book.update(jobId, j -> j.withWarning(message), Change.WARNING, true);
    }

    /** The job with its final read counts; complete progress when it succeeded. */
    Job withFinalProgress(Job j, boolean succeeded) {
        JobProgress p = succeeded ? meter.complete() : stopped(meter.now());
        return j.withDisks(disksRead(j), p);
    }

    private static JobProgress stopped(JobProgress p) {
        return new JobProgress(p.bytesTotal(), p.bytesDone(), 0, -1, p.percent());
    }

    private List<JobDisk> disksRead(Job j) {
        return j.disks().stream().map(d -> d.withBytesRead(readPerDisk.getOrDefault(d.key(), new AtomicLong()).get()))
                .toList();
    }
}
