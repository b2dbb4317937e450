package io.hotadd.agent.port;

import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
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
     * @param folder       moref of the VM folder to create the clone in
     * @param resourcePool moref of the resource pool the clone belongs to
     * @param extraConfig  markers written into the clone's configuration, so a crash sweep can recognise it;
     *                     keys start with {@link VmInfo#AGENT_KEY_PREFIX}, because
     *                     {@link VmInventory#read} reports only those (plus a few vSphere keys)
     */
    record CloneSpec(String name, String folder, String resourcePool, String annotation,
                     Map<String, String> extraConfig) {
        public CloneSpec {
            extraConfig = Map.copyOf(extraConfig);
            for (String key : extraConfig.keySet()) {
                if (!key.startsWith(VmInfo.AGENT_KEY_PREFIX)) {
                    throw new IllegalArgumentException("clone marker '" + key + "' must start with '"
                            + VmInfo.AGENT_KEY_PREFIX + "', or reading the clone will not"
                            + " show it");
                }
            }
        }
    }
}
