package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.CleanupAction.Outcome;
import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.CrashRecovery.Busy;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A restore "crashes" (its thread dies at a phase, so its own cleanup never runs, as when the agent is killed
 * with -9); recovery from the journal must then leave nothing behind: no disk on the proxy, power-on and the
 * other methods enabled again, change tracking back on for an existing VM, and no half-created new VM, while a
 * new VM whose data was all written is kept.
 */
class RestoreCrashRecoveryTest {
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

    private static EngineFixture.Recorder crashingAt(JobPhase at) {
        return new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                super.phase(phase);
                if (phase == at) {
                    throw new Crash(at);
                }
            }
        };
    }

    private String backupOf(String name) {
        FakeVm vm = f.vc.addVm(name, 4 * MIB, 2 * MIB);
        f.vc.guestWrite(vm, 2000, 0, random(300_000, 1));
        f.vc.guestWrite(vm, 2001, MIB, random(100, 3));
        f.vc.putFile(vm.datacenter, "[ds1] " + vm.name + "/" + vm.name + ".nvram", ("NVRAM of " + name).getBytes());
        return f.backup("b-" + name, vm, BackupMode.FULL).restorePointId();
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private FakeVm existingTarget(String name) {
        FakeVm vm = f.vc.addVm(name, 4 * MIB, 2 * MIB);
        vm.power = PowerState.POWERED_OFF;
        vm.cbt = true;
        vm.cbtTrackId = "52 old";
        return vm;
    }

    private static RestoreTarget.ExistingVm onto(FakeVm vm) {
        return new RestoreTarget.ExistingVm(new VmSelector.ByName(vm.name), List.of(
                new RestoreTarget.DiskMapping(2000, 2000), new RestoreTarget.DiskMapping(2001, 2001)));
    }

    private static RestoreTarget.NewVm newVm(String name) {
        return new RestoreTarget.NewVm(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), false);
    }

    private FakeVm named(String name) {
        return f.vc.vms().stream().filter(v -> v.name.equals(name)).findFirst().orElse(null);
    }

    private CrashRecovery.Report recover() {
        return new CrashRecovery(f.workflow, f.vc, reported::add).run(Busy.nothing(), false);
    }

    private void assertNothingLeftBehind(CrashRecovery.Report r) {
        assertEquals(List.of(), f.vc.leftovers(f.proxy), "leftovers after recovery; actions " + r.actions());
        assertEquals(List.of(), f.vc.violations(), "ordering violations");
        assertTrue(r.clean(), r.actions().toString());
        assertTrue(f.workflow.journal().unfinished().isEmpty(), "the restore is ended in the journal");
        assertTrue(f.guest.visible().stream().allMatch(g -> f.proxy.disks.stream().anyMatch(d -> d.fileName
                .startsWith("[ds1] proxy/") && GuestDisk.canonicalUuid(d.uuid).equals(g.uuid()))),
                "the guest sees the proxy's own disks only: " + f.guest.visible());
        assertTrue(r.actions().stream().noneMatch(a -> a.origin().equals("sweep")),
                "the journal was enough, the sweep found nothing: " + r.actions());
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"DISABLING_CBT", "ATTACHING", "LOCATING", "WRITING",
        "RELEASING_DEVICES", "DETACHING", "ENABLING_CBT", "ENABLING_METHODS"})
    void anExistingVmGetsItsDisksBackPowerOnAndTrackingAfterACrash(JobPhase at) {
        String point = backupOf("src");
        FakeVm vm = existingTarget("dst");
        assertThrows(Crash.class, () -> f.restore("r-" + at, point, onto(vm), crashingAt(at), () -> false));

        CrashRecovery.Report r = recover();

        assertNothingLeftBehind(r);
        assertTrue(vm.disabledMethods.isEmpty(), "PowerOnVM_Task enabled again: " + vm.disabledMethods);
        assertTrue(vm.cbt, "change tracking back on");
        assertNotNull(named("dst"), "the target VM stays");
    }

    @Test
    void theDryRunListsAnExistingVmRestoresUndosInTheSafeOrder() {
        String point = backupOf("src");
        FakeVm vm = existingTarget("dst");
        assertThrows(Crash.class, () -> f.restore("r1", point, onto(vm), crashingAt(JobPhase.WRITING), () -> false));

        CrashRecovery.Report r = new CrashRecovery(f.workflow, f.vc, reported::add).run(Busy.nothing(), true);

        assertEquals(List.of("release-devices", "detach-disks", "enable-change-tracking", "enable-methods"),
                r.actions().stream().filter(a -> a.origin().equals("journal")).map(CleanupAction::kind).toList());
        assertTrue(r.actions().stream().allMatch(a -> a.outcome() == Outcome.PLANNED));
        assertFalse(f.vc.leftovers(f.proxy).isEmpty(), "a dry run changes nothing");
        assertFalse(vm.cbt);
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"UPLOADING_NVRAM", "ATTACHING", "LOCATING", "WRITING"})
    void aHalfCreatedNewVmIsDestroyedAfterACrash(JobPhase at) {
        String point = backupOf("db");
        assertThrows(Crash.class, () -> f.restore("n-" + at, point, newVm("db-restored"), crashingAt(at),
                () -> false));
        assertNotNull(named("db-restored"), "the crash left the new VM");

        CrashRecovery.Report r = recover();

        assertNothingLeftBehind(r);
        assertNull(named("db-restored"), "no half-created VM; actions " + r.actions());
    }

    @ParameterizedTest
    @EnumSource(value = JobPhase.class, names = {"RELEASING_DEVICES", "DETACHING"})
    void aNewVmWhoseDataIsAllWrittenIsKeptWhenTheCrashComesDuringItsRelease(JobPhase at) {
        String point = backupOf("db");
        assertThrows(Crash.class, () -> f.restore("k-" + at, point, newVm("db-restored"), crashingAt(at),
                () -> false));

        CrashRecovery.Report r = recover();

        assertNothingLeftBehind(r);
        FakeVm kept = named("db-restored");
        assertNotNull(kept, "a restored VM whose data is all written is never destroyed");
        assertArrayEquals(f.repo.imageBytes(point, 2000), f.content(kept, 2000));
        assertTrue(r.actions().stream().noneMatch(a -> a.kind().equals("destroy-restored-vm")), r.actions().toString());
    }

    @Test
    void aFinishedRestoresVmSurvivesLaterRecovery() {
        String point = backupOf("db");
        f.restore("done", point, newVm("db-restored"), new EngineFixture.Recorder(), () -> false);

        CrashRecovery.Report r = recover();

        assertNotNull(named("db-restored"));
        assertEquals(List.of(), r.actions());
        assertTrue(f.workflow.journal().unfinished().isEmpty());
    }

    @Test
    void aNewVmTheFailedRestoreCouldNotDestroyIsDestroyedByRecovery() {
        String point = backupOf("db");
        f.guest.failWritesAtOffset = 0;
        f.vc.faults().failNext("destroy", null, 10, () -> new VSphereException.NoPermission("no privilege to destroy",
                "VirtualMachine.Inventory.Delete", "NoPermission", null, null));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> f.restore("stuck", point, newVm("db-restored"), new EngineFixture.Recorder(), () -> false));
        assertNotNull(named("db-restored"), e.toString());
        assertFalse(f.workflow.journal().unfinished().isEmpty(), "the destroy is still pending in the journal");
        f.vc.faults().clear();

        CrashRecovery.Report r = recover();

        assertNothingLeftBehind(r);
        assertNull(named("db-restored"));
        assertEquals(List.of("destroy-restored-vm"), r.actions().stream().map(CleanupAction::kind).toList());
    }

    @Test
    void aVmOfTheSameNameWithoutTheJobsMarkerIsNeverDestroyed() {
        String point = backupOf("db");
        assertThrows(Crash.class, () -> f.restore("n1", point, newVm("db-restored"),
                crashingAt(JobPhase.WRITING), () -> false));
        FakeVm restored = named("db-restored");
        restored.extraConfig.put(Names.MARK_JOB, "another-job");

        CrashRecovery.Report r = recover();

        assertNotNull(named("db-restored"), "not this job's VM: left alone");
        assertEquals(List.of(), f.vc.leftovers(f.proxy), r.actions().toString());
    }
}
