package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.BackupRequest;
import io.hotadd.agent.engine.BackupResult;
import io.hotadd.agent.port.BackupRepository.DiskSummary;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A backup job: the workflow on the VM by the moref resolved when the job was accepted (a rename in between
 * does not make it back up another VM), cancelled through the workflow's own cancel check, which stops the
 * reads promptly and runs the full cleanup.
 */
final class BackupJobRun extends JobRun {
    private final JobTracker tracker;

    BackupJobRun(JobContext ctx, String jobId, AtomicBoolean cancel) {
        super(ctx, jobId, cancel);
        this.tracker = new JobTracker(ctx.book(), jobId, ctx.settings(), ctx.clock(), ctx.metrics());
    }

    @Override
    protected UnaryOperator<Job> work(Job started) {
        BackupRequest request = new BackupRequest(jobId, new VmSelector.ByMoref(new VmRef(started.target().moref())),
                started.request().mode(), started.request().quiesce());
        BackupResult result = ctx.workflow().run(request, tracker, cancel::get);
        ctx.metrics().bytesStored(storedBytes(result.restorePointId()));
        return j -> tracker.withFinalProgress(j, true).succeeded(ctx.clock().instant(), result.restorePointId(), null);
    }

    @Override
    protected Job beforeEnd(Job job) {
        return tracker.withFinalProgress(job, false);
    }

    private long storedBytes(String restorePointId) {
        return ctx.repository().find(restorePointId).stream().flatMap(rp -> rp.disks().stream())
                .mapToLong(DiskSummary::newBytes).sum();
    }
}
