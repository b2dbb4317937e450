package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a backup records of the VM for a later restore, and what it does when it cannot. */
class ConfigCaptureTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void theBackupStoresTheSnapshotsConfigurationWithPlacementAndNvram() {
        FakeVm vm = f.vc.addVm("cfg", 4 * MIB, 2 * MIB);
        vm.keyId = new VmConfigSummary.KeyId("key-7", "kms-1");
        vm.extraConfig.put("encryption.bundle", "sealed secrets");
        f.vc.putFile("dc1", "[ds1] cfg/cfg.nvram", new byte[] {1, 2, 3});
        EngineFixture.Recorder obs = new EngineFixture.Recorder();
        String point = f.backup("c1", vm, BackupMode.FULL, obs, () -> false).restorePointId();

        VmConfigDocument doc = VmConfigDocument.fromBytes(f.repo.vmConfig(point).orElseThrow(), point);
        assertEquals(VmConfigDocument.FORMAT, doc.format());
        assertEquals(List.of(2000, 2001), doc.summary().disks().stream().map(VmConfigSummary.Disk::key).toList());
        assertTrue(doc.summary().disks().get(0).fileName().endsWith("cfg.vmdk"), "the snapshot's base file");
        assertEquals(Optional.of(new VmConfigSummary.KeyId("key-7", "kms-1")), doc.summary().keyId());
        assertTrue(doc.summary().hasEncryptionBundle());
        assertEquals(new VmConfigDocument.Source(vm.moref, "cfg", vm.instanceUuid, "dc1", "group-v1", "resgroup-1",
                "host-1", List.of("datastore-1"), doc.source().snapshot()), doc.source());
        assertArrayEquals(new byte[] {1, 2, 3}, doc.nvram().orElseThrow().content());
        assertEquals(List.of(), obs.warnings);
        assertFalse(doc.toString().contains("sealed secrets"), "the bundle never shows in logs");
    }

    @Test
    void aVmWithoutNvramIsNotedNotWarned() {
        FakeVm vm = f.vc.addVm("fresh", MIB);
        EngineFixture.Recorder obs = new EngineFixture.Recorder();
        String point = f.backup("c2", vm, BackupMode.FULL, obs, () -> false).restorePointId();
        VmConfigDocument doc = VmConfigDocument.fromBytes(f.repo.vmConfig(point).orElseThrow(), point);
        assertTrue(doc.nvram().isEmpty());
        assertTrue(doc.notes().get(0).contains("no NVRAM"), doc.notes().toString());
        assertEquals(List.of(), obs.warnings);
    }

    @Test
    void aConfigurationThatCannotBeReadIsAWarningAndOnlyDiskRestoresRemain() {
        FakeVm vm = f.vc.addVm("blind", MIB);
        f.vc.faults().failNext("captureConfig", null, 1, () -> new VSphereException.NoPermission("cannot read",
                "System.Read", "NoPermission", null, null));
        EngineFixture.Recorder obs = new EngineFixture.Recorder();
        String point = f.backup("c3", vm, BackupMode.FULL, obs, () -> false).restorePointId();

        assertTrue(obs.warnings.stream().anyMatch(w -> w.contains("not captured") && w.contains("blind")),
                obs.warnings.toString());
        assertTrue(f.repo.vmConfig(point).isEmpty());
        RestoreRefused e = assertThrows(RestoreRefused.class, () -> f.restores.check(new RestoreRequest("c4", point,
                new RestoreTarget.NewVm("blind-2", Optional.empty(), Optional.empty(), Optional.empty(),
                        Optional.empty(), Map.of(), Optional.empty(), false))));
        assertEquals("no-vm-config", e.reason());
    }

    @Test
    void aDocumentOfANewerFormatVersionIsRefusedWithTheRemedy() {
        String newer = "{\"format\":\"hotadd-vm-config\",\"version\":2}";
        UnreadableVmConfig e = assertThrows(UnreadableVmConfig.class,
                () -> VmConfigDocument.fromBytes(newer.getBytes(), "p1"));
        assertTrue(e.getMessage().contains("Upgrade the agent"), e.getMessage());
        assertThrows(UnreadableVmConfig.class, () -> VmConfigDocument.fromBytes("config of vm".getBytes(), "p2"));
    }
}
