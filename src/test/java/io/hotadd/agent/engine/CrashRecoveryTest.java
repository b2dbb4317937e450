package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.CleanupAction.Outcome;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.engine.CrashRecovery.Busy;
import io.hotadd.agent.fakes.FakeVm;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Recovery on fakes: a job "crashes" (its thread dies at a phase, so its own cleanup never runs, as when
 * the agent is killed), then recovery from the journal, or the sweep alone when the journal is lost, must
 * leave nothing behind, in the safe order.
 */
class CrashRecoveryTest {
    private final EngineFixture f = new EngineFixture();
    private final List<CleanupAction> reported = new ArrayList<>();

    @AfterEach
    void close() {
        f.close();
    }

    /** What kills the job's thread: not an exception the workflow catches and cleans up after. */
    private static final class Crash extends Error {
        Crash(JobPhase at) {
            super("crash at " + at);
        }
    }

    private FakeVm crashAt(String jobId, JobPhase at) {
        FakeVm vm = f.vc.addVm("app-" + jobId, 4 * EngineFixture.MIB, 2 * EngineFixture.MIB);
        f.vc.guestWrite(vm, 2000, 0, new byte[8192]);
        EngineFixture.Recorder crashing = new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                if (phase == at) {
                    throw new Crash(at);
                }
            }
        };
        assertThrows(Crash.class, () -> f.backup(jobId, vm, BackupMode.FULL, crashing, () -> false));
        return vm;
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"DISABLING_METHODS", "SNAPSHOTTING", "CLONING", "ATTACHING",
        "LOCATING", "READING", "RELEASING_DEVICES", "DETACHING", "DESTROYING_CLONE", "ENABLING_METHODS"})
    void recoveryFromTheJournalLeavesNothingBehind(JobPhase at) {
        crashAt("j1", at);
        CrashRecovery.Report r = new CrashRecovery(f.workflow, f.vc, reported::add).run(Busy.nothing(), false);

        assertEquals(List.of(), f.vc.leftovers(f.proxy), "leftovers after recovery; actions " + r.actions());
        assertEquals(List.of(), f.vc.violations());
        assertTrue(r.clean(), r.actions().toString());
        assertEquals(r.actions(), reported, "every action is reported to the observer");
        assertTrue(f.workflow.journal().unfinished().isEmpty(), "the job is ended in the journal");
        assertTrue(r.actions().stream().filter(a -> a.origin().equals("sweep")).toList().isEmpty(),
                "the journal was enough, the sweep found nothing: " + r.actions());
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"SNAPSHOTTING", "CLONING", "LOCATING", "READING",
        "DESTROYING_CLONE", "ENABLING_METHODS"})
    void theSweepAloneCleansUpWhenTheJournalIsLost(JobPhase at) {
        crashAt("j2", at);
        BackupWorkflow restarted = f.workflowWith(new VolatileJournal());
        CrashRecovery.Report r = new CrashRecovery(restarted, f.vc, reported::add).run(Busy.nothing(), false);

        assertEquals(List.of(), f.vc.leftovers(f.proxy), "leftovers after the sweep; actions " + r.actions());
        assertEquals(List.of(), f.vc.violations());
        assertTrue(r.actions().stream().allMatch(a -> a.origin().equals("sweep") && a.outcome() == Outcome.DONE),
                r.actions().toString());
    }

    @Test
    void dryRunListsTheUndosInTheSafeOrderAndChangesNothing() {
        crashAt("j3", JobPhase.READING);
        List<String> before = f.vc.leftovers(f.proxy);
        CrashRecovery.Report r = new CrashRecovery(f.workflow, f.vc, reported::add).run(Busy.nothing(), true);

        assertEquals(before, f.vc.leftovers(f.proxy));
        assertFalse(before.isEmpty());
        assertEquals(List.of("release-devices", "detach-disks", "destroy-clone", "remove-snapshot", "enable-methods"),
                r.actions().stream().filter(a -> a.origin().equals("journal")).map(CleanupAction::kind).toList());
        assertTrue(r.actions().stream().allMatch(a -> a.outcome() == Outcome.PLANNED));
        assertFalse(f.workflow.journal().unfinished().isEmpty(), "a dry run keeps the journal");
    }

    @Test
    void aRunningJobsObjectsAreLeftAlone() {
        FakeVm vm = crashAt("j4", JobPhase.READING);
        CrashRecovery.Report r = new CrashRecovery(f.workflow, f.vc, reported::add)
                .run(new Busy(Set.of("j4"), Set.of(vm.moref)), false);

        assertEquals(List.of(), r.actions());
        assertNotEquals(List.of(), f.vc.leftovers(f.proxy));
    }
}
