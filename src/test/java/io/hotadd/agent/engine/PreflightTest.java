package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.fakes.FakeVm;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every refusal happens before anything is created, and names the VM and the remedy. */
class PreflightTest {
    private static final List<String> SIDE_EFFECTS = List.of("setChangeTracking", "disableMethods",
            "createSnapshot", "createLinkedClone", "attachDisks");
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private PreflightRefused refusal(String reason, Consumer<FakeVm> scene) {
        FakeVm vm = f.vc.addVm("target", 4 * MIB, 4 * MIB);
        scene.accept(vm);
        PreflightRefused e = assertThrows(PreflightRefused.class, () -> f.backup("j", vm, BackupMode.AUTO));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(f.vc.faults().calls().stream().noneMatch(c -> SIDE_EFFECTS.contains(c.split(" ")[0])),
                "nothing may be changed before pre-flight passed: " + f.vc.faults().calls());
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
        return e;
    }

    @Test
    void refusesDisksOnNonScsiControllers() {
        PreflightRefused e = refusal("non-scsi-disk", vm -> {
            vm.controllers.add(new ControllerInfo(15000, 0, ControllerType.SATA));
            f.vc.addDisk(vm, 15000, 0, MIB);
        });
        assertTrue(e.getMessage().contains("SATA") && e.getMessage().contains("'target'"), e.getMessage());
    }

    @Test
    void refusesTheProxyItself() {
        FakeVm self = f.proxy;
        PreflightRefused e = assertThrows(PreflightRefused.class, () -> f.backup("j", self, BackupMode.AUTO));
        assertEquals("target-is-proxy", e.reason());
    }

    @Test
    void refusesTemplates() {
        refusal("template", vm -> vm.template = true);
    }

    @Test
    void refusesAnotherDatacenter() {
        refusal("other-datacenter", vm -> vm.datacenter = "datacenter-99");
    }

    @Test
    void refusesEncryptedVmsWhenTheProxyIsNotEncrypted() {
        refusal("encrypted-vm", vm -> vm.encrypted = true);
    }

    @Test
    void refusesADatastoreTheProxysHostCannotSee() {
        PreflightRefused e = refusal("datastore-not-visible", vm -> {
            f.vc.putDatastore(new DatastoreInfo("datastore-2", "far", "VMFS", 6, 1, 1L << 40, 1L << 39, true,
                    List.of("host-9")));
            vm.datastore = "datastore-2";
        });
        assertTrue(e.getMessage().contains("host-1"), e.getMessage());
    }

    @Test
    void refusesADifferentVmfsVersionOrBlockSize() {
        PreflightRefused e = refusal("vmfs-mismatch", vm -> {
            f.vc.putDatastore(new DatastoreInfo("datastore-3", "old", "VMFS", 3, 8, 1L << 40, 1L << 39, true,
                    List.of("host-1")));
            vm.datastore = "datastore-3";
        });
        assertTrue(e.getMessage().contains("VMFS-3 with 8 MB") && e.getMessage().contains("VMFS-6 with 1 MB"),
                e.getMessage());
    }

    @Test
    void refusesMoreDisksThanTheProxyCanEverHold() {
        refusal("too-many-disks", vm -> {
            for (int i = 0; i < 60; i++) {
                f.vc.addDisk(vm, 1000, 20 + i, MIB);
            }
        });
    }

    @Test
    void refusesWhileASnapshotOperationRuns() {
        refusal("snapshot-busy", vm -> vm.activeTasks.add("VirtualMachine.removeSnapshot"));
    }

    @Test
    void refusesAnIncrementalWithoutAnEarlierRestorePoint() {
        FakeVm vm = f.vc.addVm("fresh", MIB);
        PreflightRefused e = assertThrows(PreflightRefused.class, () -> f.backup("j", vm, BackupMode.INCREMENTAL));
        assertEquals("no-parent", e.reason());
    }

    @Test
    void skipsIndependentAndPhysicalRdmDisksWithWarnings() {
        FakeVm vm = f.vc.addVm("mixed", MIB, MIB, MIB);
        vm.disks.get(1).mode = DiskMode.INDEPENDENT_PERSISTENT;
        vm.disks.get(2).backing = DiskBacking.RDM_PHYSICAL;
        BackupResult r = f.backup("j", vm, BackupMode.FULL);
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        assertEquals(1, f.repo.find(r.restorePointId()).orElseThrow().disks().size());
    }

    @Test
    void refusesWhenNothingIsLeftToBackUp() {
        refusal("no-disks", vm -> vm.disks.forEach(d -> d.mode = DiskMode.INDEPENDENT_NONPERSISTENT));
    }
}
