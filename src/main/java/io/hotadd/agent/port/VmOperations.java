package io.hotadd.agent.port;

import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import java.util.List;
import java.util.Map;

/**
 * Changing VMs. Every method returns once vCenter's task has finished, waited on with a deadline; a task
 * that fails surfaces as a typed error. Removals are idempotent: an object already gone counts as done.
 */
public interface VmOperations {

    void setChangeTracking(VmRef vm, boolean enabled);

    SnapshotRef createSnapshot(VmRef vm, String name, String description, boolean quiesce);

    /** Removes one snapshot (not its children) and lets vCenter consolidate its delta into the parent. */
    void removeSnapshot(SnapshotRef snapshot);

    /** ConsolidateVMDisks, for a VM whose runtime.consolidationNeeded is set. */
    void consolidateDisks(VmRef vm);

    /**
     * A linked clone of {@code snapshot}: its disks are new child disks whose parents are the snapshot's
     * disks, so nothing is copied.
     */
    VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec);

    void destroy(VmRef vm);

    /** AuthorizationManager.DisableMethods: e.g. blocks Storage vMotion while a backup reads the disks. */
    void disableMethods(VmRef vm, List<String> methods, String sourceId);

    void enableMethods(VmRef vm, List<String> methods, String sourceId);

    /**
     * Where and how to create a linked clone.
     *
     * @param extraConfig markers written into the clone's configuration, so a crash sweep can recognise it
     */
    record CloneSpec(String name, String folder, String resourcePool, String annotation,
                     Map<String, String> extraConfig) {
        public CloneSpec {
            extraConfig = Map.copyOf(extraConfig);
        }
    }
}
