package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots as ESXi makes them: taking one freezes each disk's file and moves the VM onto a new redo log in
 * its folder ({@code web-000001.vmdk}, parent = the frozen file, same disk UUID); removing one consolidates
 * the redo log made when it was taken back into the frozen file, and whatever used that redo log (the VM's
 * disk, a later snapshot, clones of a later snapshot, disks attached elsewhere) uses the frozen file again.
 */
final class FakeSnapshots {
    private final FakeVSphere vc;

    FakeSnapshots(FakeVSphere vc) {
        this.vc = vc;
    }

    SnapshotRef create(VmRef ref, String name, String description, boolean quiesce) {
        FakeVm vm = vc.existing(ref);
        vc.model.checkEnabled(vm, "CreateSnapshot_Task");
        Snap s = new Snap(vc.ids.moref("snapshot"), name, description, quiesce, Instant.now());
        String changeId = vm.currentChangeId();
        int delta = freeDeltaNumber(vm);
        for (Disk d : vm.disks) {
            Disk frozen = d.copy();
            frozen.changeId = changeId;
            s.disks.add(frozen);
            d.parentFileName = d.fileName;
            d.fileName = deltaName(d.fileName, delta);
            d.content = d.content.frozenCopy();
        }
        s.parent = vm.currentSnapshot;
        (vm.currentSnapshot == null ? vm.rootSnapshots : vm.currentSnapshot.children).add(s);
        vm.currentSnapshot = s;
        return new SnapshotRef(s.moref);
    }

    /** ESXi's redo log names: {@code web.vmdk} and {@code web-000001.vmdk} both become {@code web-00000N.vmdk}. */
    private static String deltaName(String fileName, int n) {
        return fileName.replaceAll("(-\\d{6})?\\.vmdk$", String.format("-%06d.vmdk", n));
    }

    /** The lowest redo log number no file of the VM's disks uses yet, as ESXi picks it. */
    private int freeDeltaNumber(FakeVm vm) {
        List<String> files = vc.model.allDisks().stream().map(d -> d.fileName).toList();
        int n = 1;
        while (true) {
            int candidate = n;
            if (vm.disks.stream().noneMatch(d -> files.contains(deltaName(d.fileName, candidate)))) {
                return n;
            }
            n++;
        }
    }

    /** Removes one snapshot (not its children); one already gone counts as removed. */
    void remove(SnapshotRef ref) {
        FakeVm vm = vc.model.owning(ref).orElse(null);
        if (vm == null) {
            return;
        }
        Snap s = vc.model.snap(vm, ref);
        checkNothingStillReads(vm, s);
        for (Disk frozen : s.disks) {
            consolidate(vm, s, frozen);
        }
        List<Snap> siblings = s.parent == null ? vm.rootSnapshots : s.parent.children;
        siblings.remove(s);
        siblings.addAll(s.children);
        s.children.forEach(c -> c.parent = s.parent);
        if (vm.currentSnapshot == s) {
            vm.currentSnapshot = s.parent;
        }
        vm.consolidationNeeded = false;
    }

    /**
     * Folds the redo log that was made on top of {@code frozen} back into it. A file with several children
     * (branches of the snapshot tree) cannot be folded into any of them and stays, as on ESXi.
     */
    private void consolidate(FakeVm vm, Snap s, Disk frozen) {
        List<Disk> children = new ArrayList<>();
        vm.disks.stream().filter(d -> d.key == frozen.key && frozen.fileName.equals(d.parentFileName))
                .forEach(children::add);
        s.children.forEach(c -> c.disks.stream()
                .filter(d -> d.key == frozen.key && frozen.fileName.equals(d.parentFileName)).forEach(children::add));
        if (children.size() != 1) {
            return;
        }
        String delta = children.get(0).fileName;
        for (Disk d : vc.model.allDisks()) {
            if (delta.equals(d.fileName)) {
                d.fileName = frozen.fileName;
                d.parentFileName = frozen.parentFileName;
            } else if (delta.equals(d.parentFileName)) {
                d.parentFileName = frozen.fileName;
            }
        }
    }

    /**
     * VDDK's rule: a snapshot goes only after its clone is destroyed and no other VM (the proxy) reads its
     * disks. vSphere consolidates anyway, so breaking it is recorded, not refused.
     */
    private void checkNothingStillReads(FakeVm vm, Snap s) {
        for (FakeVm other : vc.vms.values()) {
            if (other == vm) {
                continue;
            }
            boolean reads = other.allDisks().stream().anyMatch(d -> s.disks.stream()
                    .anyMatch(f -> f.fileName.equals(d.fileName) || f.fileName.equals(d.parentFileName)));
            if (reads) {
                vc.model.violations.add("snapshot-removed-before-cleanup: " + s.moref + " of " + vm.name + " while "
                        + (other.isClone ? "clone " : "VM ") + other.name + " reads its disks");
            }
        }
    }
}
