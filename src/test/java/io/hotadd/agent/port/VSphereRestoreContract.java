package io.hotadd.agent.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VmOperations.CreateVmSpec;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VSphere} must do for restores, observable through the port alone: capture a snapshot's
 * configuration, create a VM from it, power a VM on, and move small files through the file service. Run on
 * the yavijava adapter against the simulator harness and on the in-memory fake.
 */
public abstract class VSphereRestoreContract extends VSphereContract {

    @Test
    void captureConfigDescribesTheSnapshotsDisksAndKeepsTheXml() {
        VmRef vm = createVm(uniqueName("capture"), List.of(8 * MIB, 4 * MIB), true);
        VmInfo info = vsphere().read(vm).orElseThrow();
        SnapshotRef snapshot = snapshot(vm, "capture");
        List<DiskInfo> frozen = vsphere().snapshotDisks(vm, snapshot);

        CapturedConfig config = vsphere().captureConfig(vm, snapshot);
        VmConfigSummary summary = config.summary();
        assertEquals(info.name(), summary.name());
        assertEquals(frozen.size(), summary.disks().size());
        for (DiskInfo d : frozen) {
            VmConfigSummary.Disk captured = summary.disk(d.key()).orElseThrow();
            assertEquals(d.capacityBytes(), captured.capacityBytes());
            assertEquals(d.unitNumber(), captured.unitNumber());
            assertEquals(d.fileName(), captured.fileName(), "the snapshot's file, not the VM's redo log");
            assertEquals(Provisioning.THIN, captured.provisioning());
            ControllerInfo controller = info.controller(d.controllerKey()).orElseThrow();
            assertEquals(new VmConfigSummary.Controller(controller.key(), controller.type(), controller.busNumber()),
                    summary.controller(captured.controllerKey()).orElseThrow());
        }
        assertTrue(summary.changeTracking());
        assertTrue(summary.nvramPath().endsWith(".nvram"), summary.nvramPath());
        assertTrue(config.vimConfigXml().contains("VirtualMachineConfigInfo"), "vCenter's own type name");
        assertFalse(config.toString().contains(config.vimConfigXml()), "the XML may hold secrets");
    }

    @Test
    void captureConfigOfASnapshotThatIsGoneIsNotFound() {
        VmRef vm = createVm(uniqueName("capture-gone"), List.of(4 * MIB), false);
        SnapshotRef snapshot = vsphere().createSnapshot(vm, "gone", "", false);
        vsphere().removeSnapshot(snapshot);
        assertThrows(VSphereException.NotFound.class, () -> vsphere().captureConfig(vm, snapshot));
    }

    @Test
    void createVmMakesAPoweredOffVmWithEmptyDisksWhereTheSourceHadThemAndAgainIsTheSame() {
        VmRef source = createVm(uniqueName("source"), List.of(8 * MIB, 4 * MIB), true);
        VmInfo src = vsphere().read(source).orElseThrow();
        writeGuest(source, src.disks().get(0).key(), 0, pattern(64 * 1024, 3));
        CapturedConfig config = vsphere().captureConfig(source, snapshot(source, "for-create"));
        CreateVmSpec spec = createSpec(uniqueName("restored"), src, config);

        VmRef created = createdVm(spec);
        VmInfo vm = vsphere().read(created).orElseThrow();
        assertEquals(spec.name(), vm.name());
        assertEquals(PowerState.POWERED_OFF, vm.powerState());
        assertFalse(vm.changeTracking(), "a restore writes the disks before tracking starts");
        assertEquals("job-1", vm.extraConfig().get("hotadd.job"));
        assertEquals(config.summary().disks().size(), vm.disks().size());
        for (VmConfigSummary.Disk d : config.summary().disks()) {
            VmConfigSummary.Controller c = config.summary().controller(d.controllerKey()).orElseThrow();
            DiskInfo restored = vm.disks().stream().filter(x -> x.unitNumber() == d.unitNumber()
                    && vm.controller(x.controllerKey()).orElseThrow().busNumber() == c.busNumber()).findFirst()
                    .orElseThrow();
            assertEquals(d.capacityBytes(), restored.capacityBytes());
            assertEquals(d.provisioning(), restored.provisioning());
            assertEquals(c.type(), vm.controller(restored.controllerKey()).orElseThrow().type());
            assertNotEquals(d.fileName(), restored.fileName(), "a new file");
        }
        assertEquals(created, vsphere().createVm(spec), "created already: the same VM");
    }

    @Test
    void powerOnTurnsTheVmOnAndAgainIsDone() {
        VmRef source = createVm(uniqueName("power"), List.of(4 * MIB), false);
        VmInfo src = vsphere().read(source).orElseThrow();
        CapturedConfig config = vsphere().captureConfig(source, snapshot(source, "for-power"));
        VmRef created = createdVm(createSpec(uniqueName("power-restored"), src, config));

        vsphere().powerOn(created);
        onCleanup(() -> powerOffForCleanup(created));
        assertEquals(PowerState.POWERED_ON, vsphere().read(created).orElseThrow().powerState());
        vsphere().powerOn(created);
        assertEquals(PowerState.POWERED_ON, vsphere().read(created).orElseThrow().powerState());
    }

    @Test
    void filesUploadedThroughTheFileServiceDownloadAsTheyWereAndAMissingOneIsNotFound() {
        String datacenter = vsphere().read(proxy()).orElseThrow().datacenter();
        String path = newFileOnProxyDatastore(uniqueName("nvram") + ".nvram");
        byte[] content = pattern(8192, 7);
        vsphere().upload(datacenter, path, new ByteArrayInputStream(content), content.length);
        onCleanup(() -> deleteFile(path));
        assertArrayEquals(content, vsphere().download(datacenter, path));
        assertThrows(VSphereException.NotFound.class,
                () -> vsphere().download(datacenter, newFileOnProxyDatastore(uniqueName("missing") + ".nvram")));
    }

    /** A VM that never ran has an empty NVRAM; restoring it uploads an empty file. */
    @Test
    void anEmptyFileUploadsAndDownloadsEmpty() {
        String datacenter = vsphere().read(proxy()).orElseThrow().datacenter();
        String path = newFileOnProxyDatastore(uniqueName("empty") + ".nvram");
        vsphere().upload(datacenter, path, new ByteArrayInputStream(new byte[0]), 0);
        onCleanup(() -> deleteFile(path));
        assertArrayEquals(new byte[0], vsphere().download(datacenter, path));
    }

    /** Where the source is, on its datastore, with one marker, no network mapping and no policy. */
    protected static CreateVmSpec createSpec(String name, VmInfo source, CapturedConfig config) {
        String vmx = source.vmPathName();
        String datastore = vmx.substring(1, vmx.indexOf(']'));
        return new CreateVmSpec(name, source.folder(), source.resourcePool(), null, datastore, config, Map.of(),
                Optional.empty(), Map.of("hotadd.job", "job-1"));
    }

    /** Creates the VM and destroys it after the test (powering it off first if the test turned it on). */
    protected final VmRef createdVm(CreateVmSpec spec) {
        VmRef created = vsphere().createVm(spec);
        onCleanup(() -> vsphere().destroy(created));
        return created;
    }

    /** Powers the VM off outside the port (the port never powers off), so cleanup can destroy it. */
    protected abstract void powerOffForCleanup(VmRef vm);

    /** Deletes a file the test uploaded. */
    protected abstract void deleteFile(String datastorePath);
}
