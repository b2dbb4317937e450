package io.hotadd.agent.port;

import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import java.util.List;
import java.util.Optional;

/**
 * Reading vCenter's inventory. Each method is one PropertyCollector question (one or two SOAP round
 * trips), never a loop of per-property reads.
 */
public interface VmInventory {

    /** The VM the selector names; a not-found error naming the selector if there is none. */
    VmInfo find(VmSelector selector);

    /** The VM's current state, or empty if it no longer exists (cleanup treats that as done). */
    Optional<VmInfo> read(VmRef vm);

    /** The VM's disks as frozen in a snapshot, with their change ids. */
    List<DiskInfo> snapshotDisks(VmRef vm, SnapshotRef snapshot);

    /** The named datastores, in the same order. */
    List<DatastoreInfo> datastores(List<String> datastoreMorefs);

    /**
     * Description ids (e.g. {@code VirtualMachine.createSnapshot}) of the VM's tasks that are queued or running
     * now, so a backup can refuse to start while another snapshot operation is under way.
     */
    List<String> activeTasks(VmRef vm);

    /**
     * The configuration of the VM as frozen in {@code snapshot} ({@code VirtualMachineSnapshot.config}, so it
     * matches the disks a backup reads from that snapshot), verbatim and summarised, for a later restore.
     * Includes what the adapter's model lacks ({@code keyId}, a vTPM, newer fields).
     *
     * @throws VSphereException.NotFound when the VM or the snapshot does not exist
     */
    CapturedConfig captureConfig(VmRef vm, SnapshotRef snapshot);
}
