package io.hotadd.agent.boot;

import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.engine.LeftoverRetry;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.jobs.JobEngine;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Recovery at start, before the job API accepts anything: the journal's unfinished jobs are undone and the
 * orphan sweep runs. Readiness (startup) stays down until both have run through; when vCenter cannot be
 * reached yet it is tried again with a growing pause, so an agent that starts before vCenter catches up.
 */
@Singleton
public class StartupRecovery {
    private static final Logger LOG = Logger.getLogger(StartupRecovery.class);
    private static final Duration FIRST_PAUSE = Duration.ofSeconds(2);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(60);

    private final CrashRecovery recovery;
    private final JobEngine engine;
    private final Readiness readiness;
    private final LeftoverRetry leftovers;

    StartupRecovery(CrashRecovery recovery, JobEngine engine, Readiness readiness) {
        this.recovery = recovery;
        this.engine = engine;
        this.readiness = readiness;
        this.leftovers = new LeftoverRetry(recovery, engine::activeWork);
    }

    /** After start: retries, from time to time, what a job's own cleanup could not take back. */
    void retryLeftovers() {
        leftovers.runOnce();
    }

    /** One attempt; answers whether recovery went through (readiness says what happened either way). */
    boolean attempt(String historyDetail, Duration nextPause) {
        readiness.down(Readiness.Condition.STARTUP_FINISHED, historyDetail + "; recovering what the previous run "
                + "left in vCenter and on the proxy");
        try {
            CrashRecovery.Report report = recovery.run(engine::activeWork, false);
            readiness.up(Readiness.Condition.STARTUP_FINISHED, historyDetail + "; recovery: " + summary(report));
            return true;
        } catch (RuntimeException e) {
            String why = ReadinessProbe.reason(e);
            LOG.warnf("Recovery at start could not run (%s); trying again in %s", why, nextPause);
            readiness.down(Readiness.Condition.STARTUP_FINISHED, historyDetail + "; recovery not done yet: " + why
                    + " (next attempt in " + nextPause.toSeconds() + "s)");
            return false;
        }
    }

    /** Attempts until recovery has gone through; answers false only when interrupted (shutdown). */
    boolean runUntilDone(String historyDetail) {
        Duration pause = FIRST_PAUSE;
        while (!attempt(historyDetail, pause)) {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        return true;
    }

    static Duration firstPause() {
        return FIRST_PAUSE;
    }

    static String summary(CrashRecovery.Report r) {
        if (r.actions().isEmpty()) {
            return "nothing was left behind";
        }
        long failed = r.actions().size() - r.actions().stream()
                .filter(a -> a.outcome() == io.hotadd.agent.domain.CleanupAction.Outcome.DONE).count();
        return r.actions().size() + " cleanup action(s)" + (failed == 0 ? ", all done"
                : ", " + failed + " not done: see the log and POST /api/v1/proxy/cleanup");
    }
}
