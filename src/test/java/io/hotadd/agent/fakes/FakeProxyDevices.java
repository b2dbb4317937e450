package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeModel.Located;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * ReconfigVM_Task on the proxy: one reconfiguration is all or nothing, as in vCenter. Like the real adapter,
 * a change whose result is already there (an earlier attempt got through) answers what is there.
 */
final class FakeProxyDevices {
    /** A VM has at most four SCSI controllers, at buses 0 to 3. */
    private static final int MAX_SCSI_BUS = 3;

    private final FakeVSphere vc;

    FakeProxyDevices(FakeVSphere vc) {
        this.vc = vc;
    }

    DiskInfo addSpareController(VmRef ref, int bus, String dummyFileName, long bytes) {
        FakeVm proxy = vc.existing(ref);
        Optional<Disk> there = spareDisk(proxy, bus, dummyFileName);
        if (there.isPresent()) {
            return there.get().info(proxy.datastore);
        }
        vc.model.checkEnabled(proxy, "ReconfigVM_Task");
        if (bus < 0 || bus > MAX_SCSI_BUS || proxy.controllers.stream().anyMatch(c -> c.busNumber() == bus)) {
            throw invalidDevice(proxy, "a SCSI controller cannot be added at bus " + bus);
        }
        if (vc.model.located(dummyFileName).isPresent()) {
            throw new VSphereException.Fault("Cannot create the dummy disk " + dummyFileName + ": the file already"
                    + " exists.", "FileAlreadyExists", null, false, null);
        }
        int key = 1000 + bus;
        while (hasDevice(proxy, key)) {
            key++;
        }
        proxy.controllers.add(new ControllerInfo(key, bus, ControllerType.PVSCSI));
        Disk dummy = vc.addDisk(proxy, key, 0, bytes);
        dummy.fileName = dummyFileName;
        dummy.provisioning = Provisioning.THIN;
        dummy.datastore = vc.datastoreOfPath(dummyFileName).filter(ds -> !ds.equals(proxy.datastore)).orElse(null);
        vc.model.announceAttached(proxy, dummy);
        return dummy.info(proxy.datastore);
    }

    private static boolean hasDevice(FakeVm vm, int key) {
        return vm.controllers.stream().anyMatch(c -> c.key() == key) || vm.disks.stream().anyMatch(d -> d.key == key);
    }

    private static Optional<Disk> spareDisk(FakeVm proxy, int bus, String fileName) {
        return proxy.controllers.stream().filter(c -> c.busNumber() == bus && c.type() == ControllerType.PVSCSI)
                .findFirst().flatMap(c -> diskAt(proxy, c.key(), 0, fileName));
    }

    private static Optional<Disk> diskAt(FakeVm proxy, int controllerKey, int unit, String fileName) {
        return proxy.disks.stream()
                .filter(d -> d.controllerKey == controllerKey && d.unit == unit && d.fileName.equals(fileName))
                .findFirst();
    }

    List<DiskInfo> attachDisks(VmRef ref, List<DiskAttachment> wanted) {
        FakeVm proxy = vc.existing(ref);
        List<Disk> there = new ArrayList<>();
        wanted.forEach(a -> diskAt(proxy, a.controllerKey(), a.unitNumber(), a.fileName()).ifPresent(there::add));
        if (there.size() == wanted.size()) {
            return there.stream().map(d -> d.info(proxy.datastore)).toList();
        }
        vc.model.checkEnabled(proxy, "ReconfigVM_Task");
        List<Located> files = checkAttachable(proxy, wanted);
        List<DiskInfo> attached = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Disk d = attach(proxy, wanted.get(i), files.get(i));
            attached.add(d.info(proxy.datastore));
        }
        return attached;
    }

    /** Everything is checked before anything changes: vCenter applies a reconfiguration whole or not at all. */
    private List<Located> checkAttachable(FakeVm proxy, List<DiskAttachment> wanted) {
        Set<String> slots = new HashSet<>();
        List<Located> files = new ArrayList<>();
        for (DiskAttachment a : wanted) {
            if (proxy.controllers.stream().noneMatch(c -> c.key() == a.controllerKey())) {
                throw invalidDevice(proxy, "there is no controller " + a.controllerKey());
            }
            boolean taken = proxy.disks.stream()
                    .anyMatch(d -> d.controllerKey == a.controllerKey() && d.unit == a.unitNumber());
            if (taken || a.unitNumber() == ScsiSlot.CONTROLLER_UNIT || a.unitNumber() < 0
                    || !slots.add(a.controllerKey() + ":" + a.unitNumber())) {
                throw invalidDevice(proxy, "slot " + a.controllerKey() + ":" + a.unitNumber() + " is not free");
            }
            vc.model.checkNotLocked(a.fileName(), "hot-add " + a.fileName() + " to " + proxy.name);
            files.add(vc.model.located(a.fileName()).orElseThrow(() -> new VSphereException.NotFound("Cannot hot-add "
                    + a.fileName() + " to " + proxy.name + ": the file does not exist.", "FileNotFound", null, null)));
        }
        return files;
    }

    /** The existing file at the slot: its UUID, size and parent chain belong to the vmdk. */
    private Disk attach(FakeVm proxy, DiskAttachment a, Located file) {
        Disk d = file.disk().copy();
        d.key = vc.ids.deviceKey();
        d.label = "Hard disk " + (proxy.disks.size() + 1);
        d.datastore = file.disk().datastore != null ? file.disk().datastore : file.owner().datastore;
        d.controllerKey = a.controllerKey();
        d.unit = a.unitNumber();
        d.mode = a.mode();
        d.changeId = null;
        d.hotAdded = true;
        proxy.disks.add(d);
        vc.model.announceAttached(proxy, d);
        return d;
    }

    /** Detaches without deleting files; keys no longer there (or a proxy that is gone) are nothing to do. */
    void detachDisks(VmRef ref, List<Integer> keys) {
        FakeVm proxy = vc.vm(ref.moref());
        if (proxy == null) {
            return;
        }
        List<Disk> present = proxy.disks.stream().filter(d -> keys.contains(d.key)).toList();
        if (present.isEmpty()) {
            return;
        }
        vc.model.checkEnabled(proxy, "ReconfigVM_Task");
        for (Disk d : present) {
            proxy.disks.remove(d);
            vc.model.announceDetached(proxy, d);
        }
    }

    private static VSphereException invalidDevice(FakeVm proxy, String why) {
        return new VSphereException.Fault("Cannot reconfigure " + proxy.name + ": " + why + ".",
                "InvalidDeviceSpec", null, false, null);
    }
}
