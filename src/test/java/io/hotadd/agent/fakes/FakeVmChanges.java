package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations.CloneSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Linked clones, destroying VMs, method locks and consolidation, with vCenter's refusals. */
final class FakeVmChanges {
    private final FakeVSphere vc;

    FakeVmChanges(FakeVSphere vc) {
        this.vc = vc;
    }

    /**
     * CloneVM_Task with {@code createNewChildDiskBacking} from a snapshot: a powered-off VM in the given folder
     * and pool (the source's pool when none), on the source's datastore and host, with the source's
     * configuration plus the markers, a new identity, and new child disks in its own folder whose parents are
     * the snapshot's disks. The source VM is not touched.
     */
    VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec) {
        FakeVm src = vc.existing(source);
        vc.model.checkEnabled(src, "CloneVM_Task");
        Snap s = vc.model.snap(src, snapshot);
        checkPlace(spec);
        FakeVm clone = new FakeVm(vc.ids.moref("vm"), spec.name());
        clone.isClone = true;
        clone.instanceUuid = vc.ids.vmUuid("50");
        clone.biosUuid = vc.ids.vmUuid("42");
        clone.power = PowerState.POWERED_OFF;
        clone.folder = spec.folder();
        clone.resourcePool = spec.resourcePool() != null ? spec.resourcePool() : src.resourcePool;
        clone.datacenter = src.datacenter;
        clone.host = src.host;
        clone.datastore = src.datastore;
        clone.hardwareVersion = src.hardwareVersion;
        clone.encrypted = src.encrypted;
        clone.annotation = spec.annotation();
        clone.writeSeq = src.writeSeq;
        clone.extraConfig.putAll(src.extraConfig);
        clone.extraConfig.putAll(spec.extraConfig());
        clone.controllers.addAll(src.controllers);
        addChildDisks(clone, s);
        vc.vms.put(clone.moref, clone);
        return new VmRef(clone.moref);
    }

    /** The folder must exist, and VM names are unique within a folder. */
    private void checkPlace(CloneSpec spec) {
        if (!vc.hasFolder(spec.folder())) {
            throw new VSphereException.NotFound("Cannot create the clone '" + spec.name() + "': folder "
                    + spec.folder() + " does not exist (any more) in vCenter.", "ManagedObjectNotFound", null, null);
        }
        vc.model.named(spec.folder(), spec.name()).ifPresent(taken -> {
            throw new VSphereException.Fault("Cannot create the clone '" + spec.name() + "': the name is already"
                    + " used by " + taken.moref + " in folder " + spec.folder() + ".", "DuplicateName", null, false,
                    null);
        });
    }

    private void addChildDisks(FakeVm clone, Snap s) {
        String folder = clone.folderPath(vc.datastoreName(clone.datastore));
        int i = 0;
        for (Disk frozen : s.disks) {
            Disk d = frozen.copy();
            d.parentFileName = frozen.fileName;
            d.fileName = folder + clone.name + (i == 0 ? "" : "_" + i) + ".vmdk";
            d.datastore = null;
            d.uuid = vc.ids.diskUuid();
            d.changeId = null;
            d.provisioning = Provisioning.THIN; // a child disk grows as it is written
            clone.disks.add(d);
            i++;
        }
    }

    /** Destroy_Task; a VM already gone counts as destroyed. */
    void destroy(VmRef ref) {
        FakeVm vm = vc.vm(ref.moref());
        if (vm == null) {
            return;
        }
        vc.model.checkEnabled(vm, "Destroy_Task");
        if (vm.power != PowerState.POWERED_OFF) {
            throw new VSphereException.InvalidState("Cannot destroy VM " + vm.name + ": it is "
                    + vm.power + "; power it off first.", "InvalidPowerState", null, null);
        }
        for (FakeVm other : vc.vms.values()) {
            for (Disk d : other.disks) {
                if (other != vm && vm.disks.stream().anyMatch(x -> x.fileName.equals(d.fileName))) {
                    throw new VSphereException.FileLocked("Cannot destroy " + vm.name + ": its disk " + d.fileName
                            + " is attached to " + other.name, "FileLocked", null, null);
                }
            }
        }
        vc.vms.remove(vm.moref);
        vc.files.deleteUnder(vm.datacenter, vm.folderPath(vc.datastoreName(vm.datastore)));
    }

    void consolidateDisks(VmRef ref) {
        FakeVm vm = vc.existing(ref);
        vc.model.checkEnabled(vm, "ConsolidateVMDisks_Task");
        vm.consolidationNeeded = false;
    }

    void disableMethods(VmRef ref, List<String> methods, String source) {
        FakeVm vm = vc.existing(ref);
        for (String m : methods) {
            if (!vm.disabledMethods.contains(m)) {
                vm.disabledMethods.add(m);
            }
            vm.disabledBy.computeIfAbsent(m, k -> new LinkedHashSet<>()).add(source);
        }
    }

    /** Lifts only this source's locks; a VM already gone took its locks with it. */
    void enableMethods(VmRef ref, List<String> methods, String source) {
        FakeVm vm = vc.vm(ref.moref());
        if (vm == null) {
            return;
        }
        for (String m : methods) {
            Set<String> sources = vm.disabledBy.get(m);
            if (sources == null || !sources.remove(source)) {
                continue;
            }
            if (sources.isEmpty()) {
                vm.disabledBy.remove(m);
                vm.disabledMethods.remove(m);
            }
        }
    }
}
