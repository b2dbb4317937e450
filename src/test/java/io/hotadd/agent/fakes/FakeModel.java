package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Lookups across the fake vCenter's VMs and rules several operations share: which VM owns a snapshot or a
 * disk file, whether a file is locked by a running VM, whether a method is disabled. Called only while the
 * {@link FakeVSphere} lock is held.
 */
final class FakeModel {
    private final FakeVSphere vc;
    final List<FakeVSphere.ProxyListener> proxyListeners = new ArrayList<>();
    final List<String> violations = new ArrayList<>();

    /** A disk file and the VM it belongs to (as its current disk or frozen in one of its snapshots). */
    record Located(FakeVm owner, Disk disk) {
    }

    FakeModel(FakeVSphere vc) {
        this.vc = vc;
    }

    Snap snap(FakeVm vm, SnapshotRef ref) {
        return vm.allSnapshots().stream().filter(s -> s.moref.equals(ref.moref())).findFirst().orElseThrow(
                () -> new VSphereException.NotFound("Cannot work on snapshot " + ref.moref() + " of VM " + vm.moref
                        + ": the object does not exist (any more) in vCenter.", "ManagedObjectNotFound", null, null));
    }

    Optional<FakeVm> owning(SnapshotRef ref) {
        return vc.vms.values().stream()
                .filter(v -> v.allSnapshots().stream().anyMatch(s -> s.moref.equals(ref.moref()))).findFirst();
    }

    Optional<FakeVm> named(String folder, String name) {
        return vc.vms.values().stream().filter(v -> v.folder.equals(folder) && v.name.equals(name)).findFirst();
    }

    /** Every disk of every VM, current and frozen, and the proxy's attached copies. */
    List<Disk> allDisks() {
        List<Disk> all = new ArrayList<>();
        vc.vms.values().forEach(v -> all.addAll(v.allDisks()));
        return all;
    }

    /** The disk file as its owner has it: a current disk wins over an attached copy of it on another VM. */
    Optional<Located> located(String fileName) {
        Located attachedCopy = null;
        for (FakeVm vm : vc.vms.values()) {
            for (Disk d : vm.allDisks()) {
                if (!d.fileName.equals(fileName)) {
                    continue;
                }
                if (!d.hotAdded) {
                    return Optional.of(new Located(vm, d));
                }
                attachedCopy = new Located(vm, d);
            }
        }
        return Optional.ofNullable(attachedCopy);
    }

    /** Refuses to open a file a powered-on VM has open as one of its current disks, as ESXi's locks do. */
    void checkNotLocked(String fileName, String action) {
        for (FakeVm vm : vc.vms.values()) {
            if (vm.power == PowerState.POWERED_ON && vm.disks.stream().anyMatch(d -> d.fileName.equals(fileName))) {
                throw new VSphereException.FileLocked("Cannot " + action + ": the file " + fileName
                        + " is locked by the running VM " + vm.name + " (" + vm.moref + ").", "FileLocked", null, null);
            }
        }
    }

    /** AuthorizationManager.DisableMethods is enforced: a disabled method fails with MethodDisabled. */
    void checkEnabled(FakeVm vm, String method) {
        if (vm.disabledMethods.contains(method)) {
            Set<String> sources = vm.disabledBy.getOrDefault(method, Set.of());
            String source = sources.isEmpty() ? null : sources.iterator().next();
            throw new VSphereException.MethodDisabled("vCenter refuses " + method + " on VM " + vm.name
                    + " because the method is disabled" + (source == null ? "" : " by '" + source + "'") + ".",
                    source, "MethodDisabled", null, null);
        }
    }

    void announceAttached(FakeVm vm, Disk d) {
        int bus = vm.controllers.stream().filter(c -> c.key() == d.controllerKey).findFirst().orElseThrow()
                .busNumber();
        proxyListeners.forEach(l -> l.attached(vm.moref, d, bus));
    }

    void announceDetached(FakeVm vm, Disk d) {
        proxyListeners.forEach(l -> l.detached(vm.moref, d));
    }

    /** What a crash sweep would have to clean: clones, snapshots, disabled methods, foreign proxy disks. */
    List<String> leftovers(FakeVm proxy) {
        List<String> left = new ArrayList<>();
        for (FakeVm vm : vc.vms.values()) {
            if (vm.isClone) {
                left.add("clone " + vm.name);
            }
            vm.allSnapshots().forEach(s -> left.add("snapshot " + s.name + " on " + vm.name));
            if (!vm.disabledMethods.isEmpty()) {
                left.add("disabled " + vm.disabledMethods + " on " + vm.name);
            }
        }
        proxy.disks.stream().filter(d -> !d.fileName.contains("] " + proxy.name + "/"))
                .forEach(d -> left.add("proxy disk " + d.fileName));
        return left;
    }
}
