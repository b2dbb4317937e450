package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.util.List;
import java.util.Optional;

/**
 * A restore request checked against the repository and vCenter, with nothing changed yet: what
 * {@link RestoreWorkflow#check} answers (the API turns a refusal into a 4xx) and what a run acts on.
 *
 * @param config    the restore point's VM configuration; present for a new VM (and whenever it is readable)
 * @param existing  the target VM of a restore into an existing VM, as read during the check
 * @param placement where a new VM goes, defaults filled in from the source VM
 * @param disks     the disks that will be written, in the order they are attached
 */
public record CheckedRestore(RestorePoint point, Optional<VmConfigDocument> config, RestoreTarget target,
                             Optional<VmInfo> existing, Optional<Placement> placement, List<DiskPlan> disks,
                             List<String> warnings) {
    public CheckedRestore {
        disks = List.copyOf(disks);
        warnings = List.copyOf(warnings);
    }

    /**
     * Where a new VM is created, as vCenter morefs (the datastore also by name, for file paths).
     *
     * @param host empty when vCenter may choose within the pool
     */
    public record Placement(String folder, String resourcePool, Optional<String> host, String datastore,
                            String datastoreName) {
    }

    /**
     * One disk to write.
     *
     * @param sourceKey    the disk's key in the restore point
     * @param targetKey    the existing VM's disk it goes onto (a new VM's disks are known only once created)
     * @param bytesToWrite data the restore point holds for it (the write's progress total)
     */
    public record DiskPlan(int sourceKey, String label, long capacityBytes, long bytesToWrite,
                           Optional<Integer> targetKey) {
    }
}
