package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.engine.CleanupIncomplete;
import io.hotadd.agent.engine.CopyCancelled;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * One execution of a job on a job thread: start it (unless it was cancelled while it waited), do the work,
 * and always end it in a terminal state, whatever was thrown.
 */
abstract class JobRun implements Runnable {
    private static final Logger LOG = Logger.getLogger(JobRun.class);

    protected final JobContext ctx;
    protected final String jobId;
    protected final AtomicBoolean cancel;

    JobRun(JobContext ctx, String jobId, AtomicBoolean cancel) {
        this.ctx = ctx;
        this.jobId = jobId;
        this.cancel = cancel;
    }

    /** Does the job's work; answers how the job ends when it succeeds. */
    protected abstract UnaryOperator<Job> work(Job started);

    /** The job as it ends unsuccessfully (e.g. with its final progress). */
    protected Job beforeEnd(Job job) {
        return job;
    }

    @Override
    public final void run() {
        Job started = ctx.book().update(jobId, j -> j.state() == JobState.QUEUED && !cancel.get()
                ? j.started(ctx.clock().instant()) : j, Change.STATE, true);
        if (started.state() != JobState.RUNNING) {
            end(j -> j.ended(JobState.CANCELLED, ctx.clock().instant(), new JobFailure(JobFailures.CANCELLED,
                    "The job was cancelled", "Job " + jobId + " was cancelled before it started.", false)));
            return;
        }
        try {
            UnaryOperator<Job> success = work(started);
            end(success);
        } catch (Throwable e) { // an Error too: the job must still end, or it would hold its VM forever
            failed(e);
        }
    }

    private void failed(Throwable e) {
        JobFailure why = JobFailures.of(e);
        boolean cleanupIncomplete = Arrays.stream(e.getSuppressed()).anyMatch(CleanupIncomplete.class::isInstance);
        boolean cancelled = e instanceof CopyCancelled && cancel.get() && !cleanupIncomplete;
        if (!cancelled) {
            LOG.errorf(e, "Job %s failed: %s", jobId, why.detail());
        }
        Job ended = end(j -> beforeEnd(j).ended(cancelled ? JobState.CANCELLED : JobState.FAILED, ctx.clock().instant(),
                why));
        if (cleanupIncomplete) {
            ctx.metrics().cleanupIncomplete(ended);
        }
        if (e instanceof Error err) {
            throw err;
        }
    }

    private Job end(UnaryOperator<Job> ending) {
        return ctx.book().update(jobId, j -> j.state().isTerminal() ? j : ending.apply(j), Change.STATE, true);
    }
}
