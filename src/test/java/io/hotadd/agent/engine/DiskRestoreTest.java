package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restores over disks of an existing VM and to image files, on the fakes. */
class DiskRestoreTest {
    private final EngineFixture f = new EngineFixture();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        f.close();
    }

    private String backupOf(String name) {
        FakeVm vm = f.vc.addVm(name, 4 * MIB, 2 * MIB);
        f.vc.guestWrite(vm, 2000, 0, random(300_000, 1));
        f.vc.guestWrite(vm, 2001, MIB, random(100, 3));
        return f.backup("b-" + name, vm, BackupMode.FULL).restorePointId();
    }

    /** A powered-off VM whose disks hold other data everywhere, so any byte not restored shows. */
    private FakeVm target(String name, long... capacities) {
        FakeVm vm = f.vc.addVm(name, capacities);
        vm.power = PowerState.POWERED_OFF;
        for (FakeVm.Disk d : vm.disks) {
            f.vc.guestWrite(vm, d.key, 0, random((int) d.capacity, d.key));
        }
        vm.cbt = true;
        vm.cbtTrackId = "52 old";
        return vm;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private RestoreTarget.ExistingVm onto(FakeVm vm, int sourceKey, int targetKey) {
        return new RestoreTarget.ExistingVm(new VmSelector.ByName(vm.name),
                List.of(new RestoreTarget.DiskMapping(sourceKey, targetKey)));
    }

    @Test
    void existingDisksAreOverwrittenExactlyWithPowerOnBlockedAndTrackingOffMeanwhile() {
        String point = backupOf("src");
        FakeVm vm = target("dst", 4 * MIB, 8 * MIB);
        List<String> blockedDuringWrite = new java.util.ArrayList<>();
        boolean[] cbtDuringWrite = {true};
        EngineFixture.Recorder obs = new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                super.phase(phase);
                if (phase == JobPhase.WRITING) {
                    blockedDuringWrite.addAll(vm.disabledMethods);
                    cbtDuringWrite[0] = vm.cbt;
                }
            }
        };
        RestoreResult r = f.restore("e1", point, new RestoreTarget.ExistingVm(new VmSelector.ByName("dst"),
                List.of(new RestoreTarget.DiskMapping(2000, 2000), new RestoreTarget.DiskMapping(2001, 2001))),
                obs, () -> false);

        assertArrayEquals(f.repo.imageBytes(point, 2000), f.content(vm, 2000), "holes cleared to zeros too");
        byte[] bigger = f.content(vm, 2001);
        assertArrayEquals(f.repo.imageBytes(point, 2001), Arrays.copyOf(bigger, (int) (2 * MIB)));
        assertTrue(Arrays.equals(new byte[(int) (6 * MIB)], Arrays.copyOfRange(bigger, (int) (2 * MIB),
                (int) (8 * MIB))), "past the backed-up size the larger disk reads as zeros");
        assertTrue(blockedDuringWrite.contains("PowerOnVM_Task"), blockedDuringWrite.toString());
        assertFalse(cbtDuringWrite[0], "change tracking off during the write");
        assertTrue(vm.cbt, "and on again afterwards");
        assertNotEquals("52 old", vm.cbtTrackId, "a new tracking id: the next backup reads in full");
        assertEquals(List.of(), vm.disabledMethods);
        assertEquals(Optional.of(vm.moref), r.vm());
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
        assertEquals(List.of(), f.vc.violations());
    }

    @Test
    void aRunningVmIsRefusedByNameWithTheRemedyAndNothingChanges() {
        String point = backupOf("src2");
        FakeVm vm = target("live", 4 * MIB);
        vm.power = PowerState.POWERED_ON;
        byte[] before = f.content(vm, 2000);
        int calls = f.vc.faults().calls().size();

        RestoreRefused e = assertThrows(RestoreRefused.class, () -> f.restore("e2", point, onto(vm, 2000, 2000),
                new EngineFixture.Recorder(), () -> false));
        assertEquals("target-powered-on", e.reason());
        assertTrue(e.getMessage().contains("'live'") && e.getMessage().contains("power it off"), e.getMessage());
        assertArrayEquals(before, f.content(vm, 2000));
        assertFalse(f.vc.faults().calls().subList(calls, f.vc.faults().calls().size()).stream()
                .anyMatch(c -> c.startsWith("disableMethods") || c.startsWith("setChangeTracking")
                        || c.startsWith("attachDisks")));
    }

    @Test
    void aTooSmallDiskAnUnknownDiskAndAVmWithSnapshotsAreRefused() {
        String point = backupOf("src3");
        FakeVm small = target("small", MIB);
        assertEquals("disk-too-small", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("e3", point, onto(small, 2000, 2000)))).reason());
        assertEquals("unknown-disk", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("e4", point, onto(small, 2000, 2999)))).reason());
        assertEquals("unknown-disk", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("e5", point, onto(small, 1234, 2000)))).reason());
        FakeVm snapped = target("snapped", 4 * MIB);
        f.vc.createSnapshot(new io.hotadd.agent.domain.VmRef(snapped.moref), "keep", "", false);
        assertEquals("target-has-snapshots", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("e6", point, onto(snapped, 2000, 2000)))).reason());
    }

    @Test
    void aFailedWriteLeavesTheVmUnlockedWithTrackingBackOn() {
        String point = backupOf("src4");
        FakeVm vm = target("half", 4 * MIB);
        f.guest.failWritesAtOffset = 0;
        assertThrows(RuntimeException.class, () -> f.restore("e7", point, onto(vm, 2000, 2000),
                new EngineFixture.Recorder(), () -> false));
        assertTrue(vm.cbt);
        assertEquals(List.of(), vm.disabledMethods);
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
        assertEquals(List.of(), f.vc.violations());
        assertTrue(f.slots.reserved().isEmpty());
    }

    @Test
    void aDiskBecomesASparseImageFileAndAnExistingFileIsNeverOverwritten() throws Exception {
        String point = backupOf("src5");
        Path image = dir.resolve("disk.img");
        RestoreResult r = f.restore("i1", point, new RestoreTarget.Image(image, 2000), new EngineFixture.Recorder(),
                () -> false);
        assertArrayEquals(f.repo.imageBytes(point, 2000), Files.readAllBytes(image));
        assertEquals(Optional.empty(), r.vm());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(image), files.toList(), "no partial file left");
        }
        assertEquals("image-exists", assertThrows(RestoreRefused.class, () -> f.restore("i2", point,
                new RestoreTarget.Image(image, 2000), new EngineFixture.Recorder(), () -> false)).reason());
        assertEquals("image-path-invalid", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("i3", point, new RestoreTarget.Image(Path.of("relative.img"), 2000)))).reason());
    }
}
