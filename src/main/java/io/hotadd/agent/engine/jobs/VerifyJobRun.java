package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.RepositoryCheck;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * A VERIFY job: reads the whole repository back. A verification that finds damage ends FAILED (with the
 * report), so that monitoring which only looks at job states notices. The repository's verification cannot
 * be interrupted; a cancelled one ends CANCELLED when it returns.
 */
final class VerifyJobRun extends JobRun {

    VerifyJobRun(JobContext ctx, String jobId, AtomicBoolean cancel) {
        super(ctx, jobId, cancel);
    }

    @Override
    protected UnaryOperator<Job> work(Job started) {
        ctx.book().update(jobId, j -> j.inPhase(JobPhase.VERIFYING), Change.PHASE, true);
        RepositoryCheck check = ctx.maintenance().verifyAll();
        if (cancel.get()) {
            return j -> j.withCheck(check).ended(JobState.CANCELLED, ctx.clock().instant(), new JobFailure(
                    JobFailures.CANCELLED, "The job was cancelled", "The verification was cancelled; its partial "
                    + "report is attached.", false));
        }
        if (!check.ok()) {
            return j -> j.withCheck(check).ended(JobState.FAILED, ctx.clock().instant(), new JobFailure(
                    JobFailures.REPOSITORY_DAMAGED, "The repository verification found damage", check.problems().size()
                    + " problem(s) found: " + String.join("; ", check.problems()) + ". Restore points they affect "
                    + "cannot be restored in full; run a new full backup of the VMs concerned.", false));
        }
        return j -> j.inPhase(JobPhase.DONE).succeeded(ctx.clock().instant(), null, check);
    }
}
