package io.hotadd.agent.engine;

import io.hotadd.agent.engine.CrashRecovery.Busy;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes back, while the agent runs, what a job's own cleanup could not: its host was down, vCenter refused
 * a call, the target went away. Without this a snapshot the job left would grow on the customer's datastore
 * until the agent's next start or an admin's {@code POST /api/v1/proxy/cleanup}. A pass does nothing (no
 * vCenter call) unless the journal holds open undos of a job that is not running; then it runs the same
 * recovery and sweep as at start. It never throws: the agent's timer calls it again later. While vCenter
 * keeps refusing, passes are skipped 1, 3, 7, then 15 at a time, so a stuck object does not post the same
 * failure events to vCenter every interval.
 */
public final class LeftoverRetry {
    private static final Logger LOG = Logger.getLogger(LeftoverRetry.class);

    private final CrashRecovery recovery;
    private final Supplier<Busy> busyNow;
    private int failedPasses;
    private int passesToSkip;

    public LeftoverRetry(CrashRecovery recovery, Supplier<Busy> busyNow) {
        this.recovery = recovery;
        this.busyNow = busyNow;
    }

    /** @return the report of the recovery it ran, or empty when nothing was left behind or vCenter failed */
    public synchronized Optional<CrashRecovery.Report> runOnce() {
        if (passesToSkip > 0) {
            passesToSkip--;
            return Optional.empty();
        }
        try {
            List<String> jobs = recovery.leftBehind(busyNow);
            if (jobs.isEmpty()) {
                return Optional.empty();
            }
            LOG.infof("Job(s) %s left objects behind that their own cleanup could not take back; cleaning up now",
                    jobs);
            CrashRecovery.Report report = recovery.run(busyNow, false);
            if (report.clean()) {
                failedPasses = 0;
            } else {
                backOff("Cleanup of what job(s) " + jobs + " left behind is not complete yet");
            }
            return Optional.of(report);
        } catch (RuntimeException e) {
            backOff("Cleanup of what earlier jobs left behind could not run (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private void backOff(String what) {
        failedPasses++;
        passesToSkip = (1 << Math.min(failedPasses, 4)) - 1;
        LOG.warnf("%s; it is tried again in %d pass(es) of hotadd.jobs.cleanup-retry-interval", what,
                passesToSkip + 1);
    }
}
