package io.hotadd.agent.engine;

import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.CleanupAction.Outcome;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.port.CleanupObserver;
import io.hotadd.agent.port.Journal;
import io.hotadd.agent.port.VmCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Takes back what jobs left behind: first every unfinished job of the journal, its recorded undos newest
 * first (device delete in the guest, detach from the proxy, destroy the clone, remove the snapshot, enable
 * methods), stopping a job's undos at the first that fails, because each is only safe once the one after it
 * in time is done; then the {@link OrphanSweep}, which trusts vCenter rather than the journal. Runs at start
 * (before the API accepts jobs) and on demand, leaving the jobs that are running now alone.
 */
public final class CrashRecovery {
    private static final Logger LOG = Logger.getLogger(CrashRecovery.class);

    private final Journal journal;
    private final UndoExecutor executor;
    private final OrphanSweep sweep;
    private final CleanupObserver observer;

    /** Jobs running now and the VMs they work on, which neither recovery nor the sweep may touch. */
    public record Busy(Set<String> jobIds, Set<String> vmMorefs) {
        public Busy {
            jobIds = Set.copyOf(jobIds);
            vmMorefs = Set.copyOf(vmMorefs);
        }

        public static Busy nothing() {
            return new Busy(Set.of(), Set.of());
        }
    }

    /** Every action, in the order taken; clean when none failed. */
    public record Report(boolean dryRun, List<CleanupAction> actions) {
        public Report {
            actions = List.copyOf(actions);
        }

        public boolean clean() {
            return actions.stream().noneMatch(a -> a.outcome() == Outcome.FAILED || a.outcome() == Outcome.SKIPPED);
        }
    }

    public CrashRecovery(BackupWorkflow workflow, VmCatalog catalog, CleanupObserver observer) {
        this.journal = workflow.journal();
        this.executor = workflow.undoExecutor();
        this.observer = observer;
        this.sweep = new OrphanSweep(workflow, catalog, this::report);
    }

    /** Recovery and sweep with a fixed set of running work (at start, and in tests). */
    public Report run(Busy busy, boolean dryRun) {
        return run(() -> busy, dryRun);
    }

    /**
     * Recovery and sweep; with {@code dryRun}, lists what would be done and changes nothing. The running work
     * is asked for after the journal (and in the sweep, vCenter) has been read: a job accepted while this runs
     * is then either invisible in what was read or counted as running, never undone under its feet.
     */
    public synchronized Report run(Supplier<Busy> busyNow, boolean dryRun) {
        List<CleanupAction> actions = new ArrayList<>();
        Map<String, List<Journal.Pending>> unfinished = journal.unfinished();
        Busy busy = busyNow.get();
        unfinished.forEach((jobId, pending) -> {
            if (!busy.jobIds().contains(jobId)) {
                actions.addAll(recoverJob(jobId, pending, dryRun));
            }
        });
        if (!dryRun) {
            journal.compact();
        }
        actions.addAll(sweep.run(busyNow, dryRun));
        LOG.infof("Cleanup%s finished: %d action(s), %s", dryRun ? " (dry run)" : "", actions.size(),
                actions.stream().map(a -> a.outcome().name()).distinct().toList());
        return new Report(dryRun, actions);
    }

    /** Jobs of the journal whose undos are still open and that are not running: what a retry would take back. */
    public List<String> leftBehind(Supplier<Busy> busyNow) {
        Set<String> open = journal.unfinished().keySet();
        Busy busy = busyNow.get();
        return open.stream().filter(id -> !busy.jobIds().contains(id)).sorted().toList();
    }

    private List<CleanupAction> recoverJob(String jobId, List<Journal.Pending> pending, boolean dryRun) {
        List<Journal.Pending> newestFirst = pending.stream()
                .sorted(Comparator.comparingInt(Journal.Pending::seq).reversed()).toList();
        List<CleanupAction> out = new ArrayList<>();
        String stoppedBy = null;
        for (Journal.Pending p : newestFirst) {
            CleanupAction planned = new CleanupAction("journal", kind(p.undo()), jobId, vmOf(p.undo()),
                    "job " + jobId + ": " + p.undo().describe(), Outcome.PLANNED, null);
            if (dryRun) {
                out.add(report(planned));
            } else if (stoppedBy != null) {
                out.add(report(planned.with(Outcome.SKIPPED, "an earlier undo of the job failed: " + stoppedBy)));
            } else {
                CleanupAction done = undo(jobId, p, planned);
                out.add(done);
                stoppedBy = done.outcome() == Outcome.FAILED ? done.error() : null;
            }
        }
        if (!dryRun && stoppedBy == null) {
            journal.jobEnded(jobId);
        }
        return out;
    }

    private CleanupAction undo(String jobId, Journal.Pending p, CleanupAction planned) {
        try {
            executor.run(p.undo());
            journal.undone(jobId, p.seq());
            return report(planned.with(Outcome.DONE, null));
        } catch (RuntimeException e) {
            return report(planned.with(Outcome.FAILED, e.getMessage()));
        }
    }

    /** Logs the action and tells the observer; answers it. */
    CleanupAction report(CleanupAction a) {
        switch (a.outcome()) {
            case DONE -> LOG.infof("Cleanup (%s): done: %s", a.origin(), a.detail());
            case PLANNED -> LOG.infof("Cleanup (%s): would %s", a.origin(), a.detail());
            default -> LOG.warnf("Cleanup (%s): %s: %s: %s", a.origin(), a.outcome(), a.detail(), a.error());
        }
        try {
            observer.action(a);
        } catch (RuntimeException e) {
            LOG.warnf("Could not report cleanup action '%s': %s", a.detail(), e.getMessage());
        }
        return a;
    }

    static String kind(Undo u) {
        if (u instanceof Undo.ReleaseGuestDevices) {
            return "release-devices";
        } else if (u instanceof Undo.DetachFiles) {
            return "detach-disks";
        } else if (u instanceof Undo.DestroyClone) {
            return "destroy-clone";
        } else if (u instanceof Undo.RemoveSnapshot) {
            return "remove-snapshot";
        } else if (u instanceof Undo.EnableChangeTracking) {
            return "enable-change-tracking";
        } else if (u instanceof Undo.DestroyRestoredVm) {
            return "destroy-restored-vm";
        }
        return "enable-methods";
    }

    private static String vmOf(Undo u) {
        if (u instanceof Undo.DetachFiles d) {
            return d.proxyMoref();
        } else if (u instanceof Undo.DestroyClone c) {
            return c.moref();
        } else if (u instanceof Undo.RemoveSnapshot s) {
            return s.vmMoref();
        } else if (u instanceof Undo.EnableMethods e) {
            return e.vmMoref();
        } else if (u instanceof Undo.EnableChangeTracking t) {
            return t.vmMoref();
        }
        return null;
    }

    /** For tests and status: the journal's unfinished jobs right now. */
    public Map<String, List<Journal.Pending>> unfinished() {
        return journal.unfinished();
    }
}
