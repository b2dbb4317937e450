package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.port.ChangedBlockTracking;
import io.hotadd.agent.port.VSphereException;
import java.util.List;

/**
 * Changed block tracking as vSphere (and the harness) has it. Switching tracking on gives the VM a fresh
 * tracking id; every guest write is logged with the VM's next sequence number, and a snapshot's disks carry
 * {@code "<tracking id>/<seq>"}. Areas are reported in whole blocks of {@link #block}. Refusals are what the
 * real adapter makes of vCenter's faults: a malformed change id, one of another tracking id (reset) or one later
 * than the snapshot ({@code InvalidArgument}), and a snapshot taken without tracking ({@code NotSupported}, for
 * {@code "*"} too), all {@link VSphereException.ChangeIdRejected}.
 */
final class FakeCbt {
    private final FakeVSphere vc;
    long block = 64 * 1024;

    FakeCbt(FakeVSphere vc) {
        this.vc = vc;
    }

    void setChangeTracking(VmRef ref, boolean enabled) {
        FakeVm vm = vc.existing(ref);
        vc.model.checkEnabled(vm, "ReconfigVM_Task");
        if (enabled && !vm.cbt) {
            vm.cbtTrackId = vc.ids.trackId();
        } else if (!enabled) {
            vm.cbtTrackId = null;
        }
        vm.cbt = enabled;
    }

    List<Extent> changedAreas(VmRef ref, SnapshotRef snapshot, int diskKey, long capacity, String changeId) {
        FakeVm vm = vc.existing(ref);
        vc.model.checkEnabled(vm, "QueryChangedDiskAreas");
        Disk d = vc.model.snap(vm, snapshot).disks.stream().filter(x -> x.key == diskKey).findFirst().orElseThrow(
                () -> new VSphereException.Fault("Cannot query the changed areas of disk " + diskKey + " of VM "
                        + vm.moref + ": snapshot " + snapshot.moref() + " has no such disk.", "InvalidArgument",
                        null, false, null));
        if (d.changeId == null) {
            throw rejected(vm, diskKey, "changed block tracking was not active on the VM when the snapshot was"
                    + " taken", "NotSupported");
        }
        List<Extent> areas = ChangedBlockTracking.ALL_ALLOCATED.equals(changeId) ? d.content.allocated()
                : d.content.writtenBetween(since(vm, d, changeId), seq(d.changeId));
        return Extents.alignOut(areas, block, d.capacity).stream().filter(e -> e.offset() < capacity)
                .map(e -> Extent.ofRange(e.offset(), Math.min(e.end(), capacity))).toList();
    }

    /** The sequence number after which to report writes, if vCenter accepts the change id for this disk. */
    private long since(FakeVm vm, Disk frozen, String changeId) {
        int slash = changeId.lastIndexOf('/');
        long seq;
        try {
            seq = slash < 0 ? -1 : Long.parseLong(changeId.substring(slash + 1));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            throw rejected(vm, frozen.key, "change id '" + changeId + "' is malformed", "InvalidArgument");
        }
        if (!changeId.substring(0, slash).equals(track(frozen.changeId))) {
            throw rejected(vm, frozen.key, "changed block tracking was reset since change id '" + changeId
                    + "' (the VM was restored, the disk resized or moved, or tracking turned off and on)",
                    "InvalidArgument");
        }
        if (seq > seq(frozen.changeId)) {
            throw rejected(vm, frozen.key, "change id '" + changeId + "' is later than the snapshot",
                    "InvalidArgument");
        }
        return seq;
    }

    private static String track(String changeId) {
        return changeId.substring(0, changeId.lastIndexOf('/'));
    }

    private static long seq(String changeId) {
        return Long.parseLong(changeId.substring(changeId.lastIndexOf('/') + 1));
    }

    private static VSphereException rejected(FakeVm vm, int diskKey, String cause, String faultType) {
        return new VSphereException.ChangeIdRejected("vCenter cannot report the changed areas of disk " + diskKey
                + " of VirtualMachine:" + vm.moref + ": " + cause + ". A full backup of this disk follows; later"
                + " backups are incremental again.", faultType, null, null);
    }
}
