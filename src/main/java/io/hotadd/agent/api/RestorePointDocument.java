package io.hotadd.agent.api;

import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A restore point: one committed backup of a VM, self-contained (a restore never replays a chain). */
@Schema(name = "RestorePoint")
public record RestorePointDocument(String id,
                                   @Schema(description = "The VM's instance UUID, its identity in the repository")
                                   String vmInstanceUuid,
                                   String vmName,
                                   String jobId,
                                   @Schema(description = "The restore point an incremental was built on") String parentId,
                                   Instant startedAt,
                                   Instant committedAt,
                                   List<Disk> disks) {

    @Schema(name = "RestorePointDisk")
    public record Disk(int key, String label, String uuid, long capacityBytes, String changeId, long storedBytes,
                       @Schema(description = "Bytes this restore point added to the repository (after dedup)")
                       long newBytes) {
    }

    static RestorePointDocument of(RestorePoint rp) {
        return new RestorePointDocument(rp.id(), rp.vmKey(), rp.vmName(), rp.jobId(), rp.parent().orElse(null),
                rp.startedAt(), rp.committedAt(), rp.disks().stream().map(RestorePointDocument::disk).toList());
    }

    private static Disk disk(DiskSummary d) {
        return new Disk(d.key(), d.label(), d.uuid(), d.capacityBytes(), d.changeId(), d.storedBytes(), d.newBytes());
    }

    /** The list answer. */
    @Schema(name = "RestorePointList")
    public record ListDocument(List<RestorePointDocument> restorePoints) {
    }
}
