package io.hotadd.agent.port;

import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
     * CreateVM_Task from a captured configuration: a powered-off VM with the captured hardware, firmware,
     * extraConfig (the {@code encryption.bundle} included), vApp properties and vTPM, and new empty disks of
     * the captured capacity and provisioning at the captured controller and unit numbers, on the spec's
     * datastore. Change tracking is off (a restore writes the disks first). An encrypted configuration gets
     * its {@code keyId} as a {@code CryptoSpecEncrypt} and the spec's storage policy on the VM and its disks.
     *
     * <p>Idempotent: if a VM with the spec's name and markers is already in the folder (an earlier attempt
     * whose answer was lost), that VM is answered.
     *
     * @throws VSphereException.NotFound              when the folder, pool, host, datastore or a network is
     *                                                unknown (the message names it)
     * @throws VSphereException.KeyProviderUnavailable when vCenter cannot reach the key provider the
     *                                                configuration's key belongs to
     */
    VmRef createVm(CreateVmSpec spec);

    /** PowerOnVM_Task; a VM that is already on counts as done. */
    void powerOn(VmRef vm);

    /**
     * Where and how to create a linked clone.
     *
     * @param folder       moref of the VM folder to create the clone in
     * @param resourcePool moref of the resource pool the clone belongs to
     * @param extraConfig  markers written into the clone's configuration, so a crash sweep can recognise it;
     *                     keys start with {@link VmInfo#AGENT_KEY_PREFIX}, because
     *                     {@link VmInventory#read} reports only those (plus a few vSphere keys)
     */
    /**
     * What a restore creates.
     *
     * @param folder          moref of the VM folder
     * @param resourcePool    moref of the resource pool (a cluster's or a host's)
     * @param host            moref of the host to place it on, or null to let vCenter (DRS) choose
     * @param datastoreName   name of the datastore for the VM's files and disks
     * @param networkMap      source network name to target network name; unmapped NICs keep their network
     * @param storagePolicyId SPBM profile id applied to the VM home and disks (an encryption policy for an
     *                        encrypted VM; the captured configuration does not hold policies)
     * @param markers         extraConfig markers ({@link VmInfo#AGENT_KEY_PREFIX} keys) that identify the job's VM
     */
    record CreateVmSpec(String name, String folder, String resourcePool, String host, String datastoreName,
                        CapturedConfig config, Map<String, String> networkMap, Optional<String> storagePolicyId,
                        Map<String, String> markers) {
        public CreateVmSpec {
            networkMap = Map.copyOf(networkMap);
            markers = Map.copyOf(markers);
            CloneSpec.requireAgentKeys(markers);
        }
    }

    record CloneSpec(String name, String folder, String resourcePool, String annotation,
                     Map<String, String> extraConfig) {
        public CloneSpec {
            extraConfig = Map.copyOf(extraConfig);
            requireAgentKeys(extraConfig);
        }

        static void requireAgentKeys(Map<String, String> markers) {
            for (String key : markers.keySet()) {
                if (!key.startsWith(VmInfo.AGENT_KEY_PREFIX)) {
                    throw new IllegalArgumentException("marker '" + key + "' must start with '"
                            + VmInfo.AGENT_KEY_PREFIX + "', or reading the VM will not show it");
                }
            }
        }
    }
}
