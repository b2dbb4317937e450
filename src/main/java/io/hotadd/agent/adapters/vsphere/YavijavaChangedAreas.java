package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DiskChangeExtent;
import com.vmware.vim25.DiskChangeInfo;
import com.vmware.vim25.FileFault;
import com.vmware.vim25.InvalidArgument;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.NotSupported;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.ChangedBlockTracking;
import io.hotadd.agent.port.VSphereException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link ChangedBlockTracking} on {@code QueryChangedDiskAreas}. vCenter answers for a window of the disk at a
 * time ({@code startOffset}, {@code length}); the agent asks again from the end of each window until the
 * whole capacity is covered, then merges the extents.
 *
 * <p>A change id vCenter no longer accepts (CBT was reset: the VM was restored, its disk resized or
 * migrated, tracking turned off and on) comes back as {@code InvalidArgument} on {@code changeId} or as a
 * {@code FileFault} on the change tracking file; either becomes {@link VSphereException.ChangeIdRejected}, on
 * which the engine reads the disk in full. So does {@code NotSupported}: tracking was off when the snapshot
 * was taken.
 */
final class YavijavaChangedAreas implements ChangedBlockTracking {

    private final VSphereSession session;

    YavijavaChangedAreas(VSphereSession session) {
        this.session = session;
    }

    @Override
    public List<Extent> changedAreas(VmRef vm, SnapshotRef snapshot, int diskKey, long capacityBytes,
                                     String changeId) {
        ManagedObjectReference vmMor = VSphereSession.mor("VirtualMachine", vm.moref());
        ManagedObjectReference snapshotMor = VSphereSession.mor("VirtualMachineSnapshot", snapshot.moref());
        String action = "query the changed areas of disk " + diskKey + " in snapshot " + snapshot.moref()
                + " since change id '" + changeId + "'";
        List<Extent> areas = new ArrayList<>();
        long offset = 0;
        while (offset < capacityBytes) {
            DiskChangeInfo window = query(vmMor, snapshotMor, diskKey, offset, changeId, action);
            long next = window.startOffset + window.length;
            if (window.length <= 0 || next <= offset) {
                throw new VSphereException.Fault("vCenter answered '" + action + "' at offset " + offset + " with an"
                        + " empty window (startOffset " + window.startOffset + ", length " + window.length + "), so"
                        + " the disk cannot be covered. Report this with the vCenter version.",
                        "DiskChangeInfo", null, false, null);
            }
            if (window.changedArea != null) {
                for (DiskChangeExtent area : window.changedArea) {
                    areas.add(new Extent(area.start, area.length));
                }
            }
            offset = next;
        }
        return Extents.normalize(areas);
    }

    private DiskChangeInfo query(ManagedObjectReference vm, ManagedObjectReference snapshot, int diskKey,
                                 long offset, String changeId, String action) {
        try {
            return session.call(action, FaultTranslator.ref(vm),
                    (vim, content) -> vim.queryChangedDiskAreas(vm, snapshot, diskKey, offset, changeId));
        } catch (VSphereException.Fault fault) {
            if (isChangeIdRejection(fault)) {
                throw rejected(fault, vm, diskKey, changeId);
            }
            throw fault;
        }
    }

    /** FileLocked, also a FileFault, arrives as its own retriable type and never gets here. */
    private static boolean isChangeIdRejection(VSphereException.Fault fault) {
        Throwable vimFault = fault.getCause();
        return vimFault instanceof FileFault || vimFault instanceof NotSupported
                || vimFault instanceof InvalidArgument invalid && "changeId".equals(invalid.invalidProperty);
    }

    private static VSphereException rejected(VSphereException.Fault fault, ManagedObjectReference vm, int diskKey,
                                             String changeId) {
        String cause = fault.getCause() instanceof NotSupported
                ? "changed block tracking was not active on the VM when the snapshot was taken"
                : "changed block tracking was reset since change id '" + changeId + "' (the VM was restored, the"
                        + " disk resized or moved, or tracking turned off and on)";
        return new VSphereException.ChangeIdRejected("vCenter cannot report the changed areas of disk " + diskKey
                + " of " + FaultTranslator.ref(vm) + ": " + cause + ". A full backup of this disk follows; later"
                + " backups are incremental again." + fault.vCenterMessage().map(m -> " vCenter said: \"" + m + "\".")
                .orElse(""), fault.faultType(), fault.vCenterMessage().orElse(null), fault);
    }
}
