package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.CheckedRestore;
import io.hotadd.agent.engine.RestoreRequest;
import io.hotadd.agent.engine.RestoreResult;
import io.hotadd.agent.engine.RestoreTarget;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A RESTORE job: the restore workflow on the job thread, cancelled through its own cancel check (a cancelled
 * restore releases the proxy's disks and destroys the VM it created). The target lives only in memory: a
 * restore that an agent stop interrupted is not resumed (the job ends FAILED at the next start, as backups
 * do), so it need not be stored.
 */
final class RestoreJobRun extends JobRun {
    private final JobTracker tracker;
    private final String restorePointId;
    private final RestoreTarget target;

    RestoreJobRun(JobContext ctx, String jobId, AtomicBoolean cancel, String restorePointId, RestoreTarget target) {
        super(ctx, jobId, cancel);
        this.tracker = new JobTracker(ctx.book(), jobId, ctx.settings(), ctx.clock(), ctx.metrics());
        this.restorePointId = restorePointId;
        this.target = target;
    }

    /**
     * What a restore job shows as its VM, and what it needs alone while it runs.
     *
     * @param target   the VM written: an existing VM as checked, a new VM by its name (its moref once created);
     *                 null for an image
     * @param resource the scheduler's key: the existing VM's moref (so no backup of it runs meanwhile), else the
     *                 new VM's name or the image's path
     */
    record Placed(JobTarget target, String resource) {
    }

    static Placed placed(RestoreTarget target, CheckedRestore checked) {
        if (target instanceof RestoreTarget.ExistingVm) {
            VmInfo vm = checked.existing().orElseThrow(() -> new IllegalStateException(
                    "the restore check did not read the target VM"));
            return new Placed(new JobTarget(vm.ref().moref(), vm.name(), vm.instanceUuid()), vm.ref().moref());
        } else if (target instanceof RestoreTarget.NewVm newVm) {
            return new Placed(new JobTarget(null, newVm.name(), null), "new-vm:" + newVm.name());
        }
        return new Placed(null, "image:" + ((RestoreTarget.Image) target).path().toAbsolutePath().normalize());
    }

    @Override
    protected UnaryOperator<Job> work(Job started) {
        RestoreResult result = ctx.restores().run(new RestoreRequest(jobId, restorePointId, target), tracker,
                cancel::get);
        return j -> {
            Job done = tracker.withFinalProgress(j, true);
            if (target instanceof RestoreTarget.NewVm && result.vm().isPresent()) {
                done = done.withTarget(new JobTarget(result.vm().get(), result.vmName(), null));
            }
            return done.succeeded(ctx.clock().instant(), restorePointId, null);
        };
    }

    @Override
    protected Job beforeEnd(Job job) {
        return tracker.withFinalProgress(job, false);
    }
}
