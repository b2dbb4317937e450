package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations.CloneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The VmOperations and ProxyDevices half of {@link FakeVSphere}, with vCenter's ordering rules checked. */
final class FakeVmChanges {
    private final FakeVSphere vc;
    private final Map<String, String> cloneOfSnapshot = new ConcurrentHashMap<>();
    final List<String> violations = new ArrayList<>();

    FakeVmChanges(FakeVSphere vc) {
        this.vc = vc;
    }

    void setChangeTracking(VmRef ref, boolean enabled) {
        FakeVm vm = vc.existing(ref);
        if (enabled && !vm.cbt) {
            vm.cbtTrackId = "52 " + vc.newMoref("track");
        } else if (!enabled) {
            vm.cbtTrackId = null;
        }
        vm.cbt = enabled;
    }

    SnapshotRef createSnapshot(VmRef ref, String name, String description, boolean quiesce) {
        FakeVm vm = vc.existing(ref);
        Snap s = new Snap(vc.newMoref("snapshot"), name, description, quiesce, FakeVSphere.now());
        int generation = vm.allSnapshots().size() + 1;
        for (Disk d : vm.disks) {
            Disk frozen = d.copy();
            frozen.changeId = vm.cbt ? vm.cbtTrackId + "/" + vc.nextCbtSeq() : null;
            s.disks.add(frozen);
            d.parentFileName = d.fileName;
            d.fileName = d.fileName.replaceAll("(-\\d{6})?\\.vmdk$", String.format("-%06d.vmdk", generation));
            d.content = d.content.frozenCopy();
            d.changeId = frozen.changeId;
        }
        s.parent = vm.currentSnapshot;
        (vm.currentSnapshot == null ? vm.rootSnapshots : vm.currentSnapshot.children).add(s);
        vm.currentSnapshot = s;
        return new SnapshotRef(s.moref);
    }

    void removeSnapshot(SnapshotRef ref) {
        FakeVm vm = vc.owning(ref).orElse(null);
        if (vm == null) {
            return; // already gone: removal is idempotent
        }
        Snap s = FakeVSphere.snap(vm, ref);
        checkNothingStillUses(vm, s);
        (s.parent == null ? vm.rootSnapshots : s.parent.children).remove(s);
        (s.parent == null ? vm.rootSnapshots : s.parent.children).addAll(s.children);
        s.children.forEach(c -> c.parent = s.parent);
        if (vm.currentSnapshot == s) {
            vm.currentSnapshot = s.parent;
        }
        if (vm.rootSnapshots.isEmpty()) {
            for (Disk d : vm.disks) { // consolidated back onto the base file
                Disk base = s.disks.stream().filter(x -> x.key == d.key).findFirst().orElse(d);
                d.fileName = base.fileName;
                d.parentFileName = base.parentFileName;
            }
        }
    }

    /** VDDK: clean up hot-added disks (and their clone) before the snapshot is removed. */
    private void checkNothingStillUses(FakeVm vm, Snap s) {
        cloneOfSnapshot.forEach((clone, snap) -> {
            if (snap.equals(s.moref) && vc.vm(clone) != null) {
                violations.add("snapshot-removed-before-cleanup: " + s.moref + " of " + vm.name + " while clone "
                        + vc.vm(clone).name + " exists");
            }
        });
    }

    VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec) {
        FakeVm src = vc.existing(source);
        Snap s = FakeVSphere.snap(src, snapshot);
        FakeVm clone = new FakeVm(vc.newMoref("vm"), spec.name());
        clone.isClone = true;
        clone.instanceUuid = "50" + clone.moref;
        clone.power = io.hotadd.agent.domain.PowerState.POWERED_OFF;
        clone.extraConfig.putAll(spec.extraConfig());
        clone.controllers.addAll(src.controllers);
        for (Disk frozen : s.disks) {
            Disk d = frozen.copy();
            d.parentFileName = frozen.fileName;
            d.fileName = "[" + clone.datastore + "] " + clone.name + "/" + clone.name + "_" + d.key + ".vmdk";
            d.uuid = vc.diskUuid();
            clone.disks.add(d);
        }
        vc.register(clone);
        cloneOfSnapshot.put(clone.moref, s.moref);
        return new VmRef(clone.moref);
    }

    void destroy(VmRef ref) {
        FakeVm vm = vc.vm(ref.moref());
        if (vm == null) {
            return;
        }
        for (FakeVm other : vc.vms()) {
            for (Disk d : other.disks) {
                if (other != vm && vm.disks.stream().anyMatch(x -> x.fileName.equals(d.fileName))) {
                    throw new VSphereException.FileLocked("cannot destroy " + vm.name + ": its disk " + d.fileName
                            + " is attached to " + other.name, "FileLocked", null, null);
                }
            }
        }
        vc.unregister(vm);
    }

    void disableMethods(VmRef ref, List<String> methods, String source) {
        FakeVm vm = vc.existing(ref);
        for (String m : methods) {
            if (!vm.disabledMethods.contains(m)) {
                vm.disabledMethods.add(m);
            }
            vm.disabledBy.put(m, source);
        }
    }

    void enableMethods(VmRef ref, List<String> methods, String source) {
        FakeVm vm = vc.vm(ref.moref());
        if (vm == null) {
            return;
        }
        for (String m : methods) {
            if (source.equals(vm.disabledBy.get(m))) {
                vm.disabledBy.remove(m);
                vm.disabledMethods.remove(m);
            }
        }
    }

    DiskInfo addSpareController(VmRef proxyRef, int bus, String dummyFileName, long bytes) {
        FakeVm proxy = vc.existing(proxyRef);
        if (proxy.controllers.stream().anyMatch(c -> c.busNumber() == bus)) {
            throw new VSphereException.Fault("bus " + bus + " already has a controller on " + proxy.name,
                    "InvalidDeviceSpec", null, false, null);
        }
        int key = 1000 + bus;
        proxy.controllers.add(new ControllerInfo(key, bus, ControllerType.PVSCSI));
        Disk dummy = vc.addDisk(proxy, key, 0, bytes);
        dummy.fileName = dummyFileName;
        vc.announceAttached(proxy, dummy);
        return dummy.info(proxy.datastore);
    }

    List<DiskInfo> attachDisks(VmRef proxyRef, List<DiskAttachment> disks) {
        FakeVm proxy = vc.existing(proxyRef);
        List<DiskInfo> out = new ArrayList<>();
        for (DiskAttachment a : disks) {
            if (proxy.controllers.stream().noneMatch(c -> c.key() == a.controllerKey())) {
                throw new VSphereException.Fault("no controller " + a.controllerKey() + " on " + proxy.name,
                        "InvalidDeviceSpec", null, false, null);
            }
            if (proxy.disks.stream().anyMatch(d -> d.controllerKey == a.controllerKey() && d.unit == a.unitNumber())) {
                throw new VSphereException.Fault("slot " + a.controllerKey() + ":" + a.unitNumber() + " is taken on "
                        + proxy.name, "InvalidDeviceSpec", null, false, null);
            }
            Disk d = vc.diskWithFile(a.fileName()).copy();
            d.key = vc.nextDeviceKey(); // unique, as vCenter assigns them
            d.controllerKey = a.controllerKey();
            d.unit = a.unitNumber();
            d.mode = a.mode();
            proxy.disks.add(d);
            vc.announceAttached(proxy, d);
            out.add(d.info(proxy.datastore));
        }
        return out;
    }

    void detachDisks(VmRef proxyRef, List<Integer> keys) {
        FakeVm proxy = vc.existing(proxyRef);
        for (int key : keys) {
            Disk d = proxy.disk(key);
            if (d != null) {
                proxy.disks.remove(d);
                vc.announceDetached(proxy, d);
            }
        }
    }
}
