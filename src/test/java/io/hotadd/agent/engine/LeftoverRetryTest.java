package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.engine.CrashRecovery.Busy;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.VSphereException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent's periodic retry of what a job's own cleanup left, and recovery racing a job that starts. */
class LeftoverRetryTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** A job whose own cleanup never ran (its thread died in the middle), as after a failed cleanup step. */
    private FakeVm leaveBehind(String jobId) {
        FakeVm vm = f.vc.addVm("app-" + jobId, 4 * EngineFixture.MIB, 2 * EngineFixture.MIB);
        EngineFixture.Recorder stopping = new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                if (phase == JobPhase.READING) {
                    throw new AssertionError("cleanup never runs after this");
                }
            }
        };
        assertThrows(AssertionError.class, () -> f.backup(jobId, vm, BackupMode.FULL, stopping, () -> false));
        return vm;
    }

    private CrashRecovery recovery() {
        return new CrashRecovery(f.workflow, f.vc, a -> { });
    }

    @Test
    void whatAJobLeftIsTakenBackByTheNextPassAndAPassWithNothingLeftDoesNothing() {
        leaveBehind("j1");
        assertNotEquals(List.of(), f.vc.leftovers(f.proxy));
        LeftoverRetry retry = new LeftoverRetry(recovery(), Busy::nothing);

        Optional<CrashRecovery.Report> report = retry.runOnce();

        assertTrue(report.isPresent() && report.get().clean(), report.toString());
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
        assertEquals(List.of(), f.vc.violations());
        assertEquals(Optional.empty(), retry.runOnce(), "nothing left: no recovery, no sweep");
    }

    @Test
    void whileVcenterRefusesThePassesBackOff() {
        leaveBehind("j4");
        f.vc.faults().failNext("detachDisks", null, 100, () -> new VSphereException.InvalidState(
                "the proxy is busy", "InvalidState", null, null));
        LeftoverRetry retry = new LeftoverRetry(recovery(), Busy::nothing);

        assertFalse(retry.runOnce().orElseThrow().clean(), "first pass runs and fails");
        assertEquals(Optional.empty(), retry.runOnce(), "second pass skipped");
        assertFalse(retry.runOnce().orElseThrow().clean(), "third pass runs and fails again");
        f.vc.faults().clear();
        for (int skipped = 0; skipped < 3; skipped++) {
            assertEquals(Optional.empty(), retry.runOnce(), "three passes skipped after the second failure");
        }
        assertTrue(retry.runOnce().orElseThrow().clean());
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
    }

    @Test
    void aRunningJobIsNotTakenForLeftovers() {
        FakeVm vm = leaveBehind("j2");
        LeftoverRetry retry = new LeftoverRetry(recovery(), () -> new Busy(Set.of("j2"), Set.of(vm.moref)));

        assertEquals(Optional.empty(), retry.runOnce());
        assertNotEquals(List.of(), f.vc.leftovers(f.proxy));
    }

    @Test
    void aJobThatStartsWhileRecoveryRunsIsNeverUndone() {
        // The job starts at the moment recovery asks what is running: asked before the journal was read, it
        // would be in the journal but not among the running jobs, and recovery would undo it under its feet.
        AtomicInteger asked = new AtomicInteger();
        AtomicReference<FakeVm> started = new AtomicReference<>();
        CrashRecovery.Report r = recovery().run(() -> {
            if (asked.getAndIncrement() == 0) {
                started.set(leaveBehind("j3"));
                return Busy.nothing();
            }
            return new Busy(Set.of("j3"), Set.of(started.get().moref));
        }, false);

        assertEquals(List.of(), r.actions());
        assertNotEquals(List.of(), f.vc.leftovers(f.proxy), "the running job's snapshot, clone and disks stay");
    }
}
