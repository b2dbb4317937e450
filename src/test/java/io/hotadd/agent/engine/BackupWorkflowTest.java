package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.VSphereException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BackupWorkflowTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private FakeVm vmWithData(String name) {
        FakeVm vm = f.vc.addVm(name, 4 * MIB, 2 * MIB);
        vm.cbt = true;
        vm.cbtTrackId = "52 track";
        f.vc.guestWrite(vm, 2000, 0, random(300_000, 1));
        f.vc.guestWrite(vm, 2000, 3 * MIB, random(4096, 2));
        f.vc.guestWrite(vm, 2001, MIB, random(100, 3));
        return vm;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private void assertNothingLeftBehind() {
        assertEquals(List.of(), f.vc.leftovers(f.proxy), "leftovers");
        assertEquals(List.of(), f.vc.violations(), "ordering violations");
        assertTrue(f.slots.reserved().isEmpty(), "slot reservations released");
    }

    @Test
    void fullBackupStoresSnapshotTimeContentAndCleansUpInTheSafeOrder() {
        FakeVm vm = vmWithData("web");
        byte[] disk0 = f.content(vm, 2000);
        byte[] disk1 = f.content(vm, 2001);
        EngineFixture.Recorder obs = new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                super.phase(phase);
                if (phase == JobPhase.READING) { // the guest keeps writing while the backup reads
                    f.vc.guestWrite(vm, 2000, 0, random(8192, 9));
                }
            }
        };
        BackupResult r = f.backup("job1", vm, BackupMode.AUTO, obs, () -> false);

        assertTrue(r.full());
        assertArrayEquals(disk0, f.repo.imageBytes(r.restorePointId(), 2000));
        assertArrayEquals(disk1, f.repo.imageBytes(r.restorePointId(), 2001));
        assertEquals(List.of(JobPhase.RELEASING_DEVICES, JobPhase.DETACHING, JobPhase.DESTROYING_CLONE,
                JobPhase.REMOVING_SNAPSHOT, JobPhase.ENABLING_METHODS),
                obs.phases.stream().filter(JobPhase::isCleanup).toList());
        assertEquals(JobPhase.DONE, obs.phases.get(obs.phases.size() - 1));
        assertNothingLeftBehind();
    }

    @Test
    void fullBackupReadsOnlyAllocatedAreas() {
        FakeVm vm = vmWithData("sparse");
        BackupResult r = f.backup("job2", vm, BackupMode.FULL);
        long allocatedRoundedTo64K = (5 * 64 << 10) + (64 << 10) + (64 << 10);
        assertEquals(allocatedRoundedTo64K, r.bytesRead(), "5 blocks + 1 block on disk 0, 1 block on disk 1");
    }

    @Test
    void incrementalReadsOnlyChangesAndStillYieldsTheWholeDisk() {
        FakeVm vm = vmWithData("db");
        f.backup("full", vm, BackupMode.AUTO);
        f.vc.guestWrite(vm, 2000, 2 * MIB, random(10, 4));
        f.vc.guestWrite(vm, 2000, 0, new byte[64 << 10]); // a block that becomes zeros must become a hole
        byte[] expected = f.content(vm, 2000);

        BackupResult incr = f.backup("incr", vm, BackupMode.AUTO);
        assertFalse(incr.full());
        assertEquals(2 * (64 << 10), incr.bytesRead(), "only the two changed 64 KiB blocks are read");
        assertArrayEquals(expected, f.repo.imageBytes(incr.restorePointId(), 2000));
        assertArrayEquals(f.content(vm, 2001), f.repo.imageBytes(incr.restorePointId(), 2001));
        assertNothingLeftBehind();
    }

    @Test
    void progressPlansTheBytesTheCopierReallyReads() {
        f.vc.cbtBlock(4096); // vCenter reports smaller areas than the repository's 64 KiB chunks
        FakeVm vm = vmWithData("plan");
        f.backup("full", vm, BackupMode.AUTO);
        f.vc.guestWrite(vm, 2000, 2 * MIB + 100, random(10, 5)); // 10 bytes: read as one whole chunk
        EngineFixture.Recorder obs = new EngineFixture.Recorder();

        BackupResult incr = f.backup("incr", vm, BackupMode.AUTO, obs, () -> false);
        long planned = obs.planned.stream().mapToLong(JobObserver.DiskProgress::bytesToRead).sum();
        long read = obs.read.values().stream().mapToLong(java.util.concurrent.atomic.AtomicLong::get).sum();
        assertEquals(incr.bytesRead(), read);
        assertEquals(read, planned, "a job must not show more bytes read than it planned");
    }

    @Test
    void aRejectedChangeIdFallsBackToAFullReadWithAWarning() {
        FakeVm vm = vmWithData("reset");
        f.backup("full", vm, BackupMode.AUTO);
        vm.cbtTrackId = "52 reset-by-admin"; // CBT reset: old change ids are no longer valid
        BackupResult r = f.backup("again", vm, BackupMode.AUTO);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("read in full")), r.warnings().toString());
        assertArrayEquals(f.content(vm, 2000), f.repo.imageBytes(r.restorePointId(), 2000));
    }

    @Test
    void cbtOffIsEnabledAndTheBackupIsFull() {
        FakeVm vm = vmWithData("nocbt");
        vm.cbt = false;
        BackupResult r = f.backup("j", vm, BackupMode.AUTO);
        assertTrue(vm.cbt, "the agent enabled CBT");
        assertTrue(r.full());
    }

    @Test
    void aReadErrorFailsTheJobAndLeavesNothingBehind() {
        FakeVm vm = vmWithData("bad");
        f.guest.failReadsAtOffset = 0;
        RuntimeException e = assertThrows(IllegalStateException.class, () -> f.backup("j", vm, BackupMode.FULL));
        assertTrue(e.getMessage().contains("EIO"), e.getMessage());
        assertNothingLeftBehind();
        assertTrue(f.repo.list(java.util.Optional.empty()).isEmpty(), "no restore point from a failed job");
    }

    @Test
    void cancellingStopsTheReadAndCleansUp() {
        FakeVm vm = vmWithData("cancel");
        EngineFixture.Recorder obs = new EngineFixture.Recorder();
        assertThrows(CopyCancelled.class, () -> f.backup("j", vm, BackupMode.FULL, obs,
                () -> obs.phases.contains(JobPhase.READING)));
        assertNothingLeftBehind();
    }

    @Test
    void aFailedDetachStopsCleanupBeforeTheCloneAndSnapshotGo() {
        FakeVm vm = vmWithData("stuck");
        f.vc.faults().failNext("detachDisks", null, 10, () -> new VSphereException.InvalidState(
                "the proxy is busy", "InvalidState", null, null));
        BackupResult r = f.backup("j", vm, BackupMode.FULL);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("could not detach")), r.warnings().toString());
        assertArrayEquals(f.content(vm, 2000), f.repo.imageBytes(r.restorePointId(), 2000),
                "the data read from the frozen snapshot is valid and committed");
        List<String> left = f.vc.leftovers(f.proxy);
        assertTrue(left.stream().anyMatch(l -> l.startsWith("clone")), "clone kept while its disks are attached");
        assertTrue(left.stream().anyMatch(l -> l.startsWith("snapshot")), "snapshot kept: its clone still exists");
        assertEquals(List.of(), f.vc.violations());
    }

    @Test
    void retriableCleanupFailuresAreRetried() {
        FakeVm vm = vmWithData("flaky");
        f.vc.faults().failNext("removeSnapshot", null, 2, () -> new VSphereException.TaskInProgress(
                "another task", "TaskInProgress", null, null));
        BackupResult r = f.backup("j", vm, BackupMode.FULL);
        assertEquals(2, f.slept.size(), "two waits before the third attempt");
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
        assertNothingLeftBehind();
    }

    @Test
    void aQuiesceFailureFallsBackToCrashConsistentWithAWarning() {
        FakeVm vm = vmWithData("noTools");
        f.vc.faults().failNext("createSnapshot", null, 1, () -> new VSphereException.Fault(
                "VMware Tools are not running", "ToolsUnavailable", null, false, null));
        BackupResult r = f.workflow.run(new BackupRequest("q", new io.hotadd.agent.domain.VmSelector.ByName("noTools"),
                BackupMode.FULL, true), JobObserver.NONE, () -> false);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("crash-consistent")), r.warnings().toString());
        assertNothingLeftBehind();
    }
}
