package io.hotadd.agent.domain;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the agent knows of a VM after one PropertyCollector round trip: identity, placement, state,
 * controllers, disks, snapshots, and the few extraConfig keys it cares about.
 *
 * @param datacenter      inventory path of the VM's datacenter below the root folder: its name, or
 *                        {@code folder/name} for a datacenter inside a folder (what the file service wants)
 * @param hardwareVersion e.g. 19 for vmx-19
 * @param extraConfig     only the keys the agent reads: {@code disk.EnableUUID}, {@code encryption.bundle} (needed
 *                        to restore an encrypted VM) and the agent's own markers ({@link #AGENT_KEY_PREFIX})
 */
public record VmInfo(VmRef ref, String name, String instanceUuid, String biosUuid, String datacenter, String host,
                     String resourcePool, String folder, String vmPathName, PowerState powerState, boolean template,
                     boolean changeTracking, int hardwareVersion, boolean encrypted, boolean consolidationNeeded,
                     List<ControllerInfo> controllers, List<DiskInfo> disks, List<SnapshotInfo> snapshots,
                     SnapshotRef currentSnapshot, List<String> disabledMethods, List<String> datastores,
                     Map<String, String> extraConfig) {

    /** extraConfig keys the agent writes (markers on its linked clones) start with this. */
    public static final String AGENT_KEY_PREFIX = "hotadd.";

    public VmInfo {
        controllers = List.copyOf(controllers);
        disks = List.copyOf(disks);
        snapshots = List.copyOf(snapshots);
        disabledMethods = List.copyOf(disabledMethods);
        datastores = List.copyOf(datastores);
        extraConfig = Map.copyOf(extraConfig);
    }

    public Optional<ControllerInfo> controller(int key) {
        return controllers.stream().filter(c -> c.key() == key).findFirst();
    }

    public Optional<DiskInfo> disk(int key) {
        return disks.stream().filter(d -> d.key() == key).findFirst();
    }

    /** Every snapshot in the tree, parents before children. */
    public List<SnapshotInfo> allSnapshots() {
        List<SnapshotInfo> all = new java.util.ArrayList<>();
        java.util.ArrayDeque<SnapshotInfo> todo = new java.util.ArrayDeque<>(snapshots);
        while (!todo.isEmpty()) {
            SnapshotInfo s = todo.removeFirst();
            all.add(s);
            todo.addAll(s.children());
        }
        return all;
    }
}
