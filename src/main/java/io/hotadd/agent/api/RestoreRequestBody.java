package io.hotadd.agent.api;

import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.RestoreTarget;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * POST /api/v1/restores. Exactly one target; unknown fields are refused (400), so a typo never sends a
 * restore somewhere else. Only the shape is checked here: whether the target can take the restore point is
 * the engine's check, answered as {@code restore/<reason>} problems.
 */
@Schema(name = "RestoreRequest")
public record RestoreRequestBody(
        @Schema(required = true, description = "The restore point to restore (GET /api/v1/restore-points)")
        String restorePointId,
        @Schema(required = true, description = "Exactly one of newVm, existingVm or image") Target target,
        @Schema(defaultValue = "false", description = "newVm only: power the VM on once it is complete")
        Boolean powerOn,
        @Schema(description = "Free labels echoed back in the job (at most 32, 256 characters each)")
        Map<String, String> tags,
        @Schema(description = "http(s) URL the final job document is POSTed to when the job ends") String callbackUrl) {

    @Schema(name = "RestoreTarget")
    public record Target(NewVm newVm, ExistingVm existingVm, Image image) {
    }

    @Schema(name = "RestoreNewVm", description = "A new VM from the configuration the backup captured. Placement "
            + "is by vCenter moref; what is left out is where the source VM was")
    public record NewVm(@Schema(required = true, example = "db01-restored") String name,
                        @Schema(example = "group-v3") String folder,
                        @Schema(example = "resgroup-8", description = "resource pool") String pool,
                        @Schema(example = "host-21") String host,
                        @Schema(example = "datastore-11") String datastore,
                        @Schema(description = "source network name to target network name; unmapped NICs keep "
                                + "their network") Map<String, String> networks,
                        @Schema(description = "SPBM profile id for the VM and its disks; required to restore an "
                                + "encrypted VM (an encryption policy)") String storagePolicyId) {
    }

    @Schema(name = "RestoreExistingVm", description = "Overwrite disks of an existing powered-off VM")
    public record ExistingVm(@Schema(required = true) BackupRequestBody.VmBody vm,
                             @Schema(required = true) List<DiskMap> disks) {
    }

    @Schema(name = "RestoreDiskMapping", description = "The restore point's disk sourceKey onto the VM's disk "
            + "targetKey (device keys, e.g. 2000)")
    public record DiskMap(Integer sourceKey, Integer targetKey) {
    }

    @Schema(name = "RestoreImage", description = "One disk as a sparse raw image file on the proxy")
    public record Image(@Schema(required = true, example = "/var/tmp/db01-disk0.img",
                                description = "absolute; the folder must exist, the file must not") String path,
                        @Schema(required = true, example = "2000", description = "the disk's key in the restore point")
                        Integer diskKey) {
    }

    String checkedRestorePointId() {
        if (restorePointId == null || restorePointId.isBlank()) {
            throw invalid("the field 'restorePointId' is required (see GET /api/v1/restore-points?vm=...)");
        }
        return restorePointId.trim();
    }

    /** The one target named, as the engine takes it. */
    RestoreTarget engineTarget() {
        if (target == null) {
            throw invalid("the field 'target' is required: {\"newVm\": {...}}, {\"existingVm\": {...}} or "
                    + "{\"image\": {...}}");
        }
        int named = (target.newVm() == null ? 0 : 1) + (target.existingVm() == null ? 0 : 1)
                + (target.image() == null ? 0 : 1);
        if (named != 1) {
            throw invalid("'target' must name exactly one of newVm, existingVm or image; it names " + named);
        }
        if (Boolean.TRUE.equals(powerOn) && target.newVm() == null) {
            throw invalid("'powerOn' applies to a newVm target only");
        }
        try {
            if (target.newVm() != null) {
                return newVm(target.newVm());
            } else if (target.existingVm() != null) {
                return existingVm(target.existingVm());
            }
            return image(target.image());
        } catch (IllegalArgumentException e) {
            throw invalid(e.getMessage());
        }
    }

    private RestoreTarget.NewVm newVm(NewVm v) {
        Map<String, String> networks = v.networks() == null ? Map.of() : v.networks();
        networks.forEach((from, to) -> {
            if (from.isBlank() || to == null || to.isBlank()) {
                throw invalid("'target.newVm.networks' maps network names to network names; '" + from + "' -> '"
                        + to + "' is not one");
            }
        });
        return new RestoreTarget.NewVm(v.name(), optional(v.folder()), optional(v.pool()), optional(v.host()),
                optional(v.datastore()), networks, optional(v.storagePolicyId()), Boolean.TRUE.equals(powerOn));
    }

    private static RestoreTarget.ExistingVm existingVm(ExistingVm v) {
        if (v.disks() == null || v.disks().isEmpty()) {
            throw invalid("'target.existingVm.disks' must list the disks to overwrite: [{\"sourceKey\": 2000, "
                    + "\"targetKey\": 2000}]");
        }
        List<RestoreTarget.DiskMapping> disks = new ArrayList<>();
        for (DiskMap d : v.disks()) {
            if (d == null || d.sourceKey() == null || d.targetKey() == null) {
                throw invalid("every entry of 'target.existingVm.disks' needs a sourceKey and a targetKey");
            }
            disks.add(new RestoreTarget.DiskMapping(d.sourceKey(), d.targetKey()));
        }
        return new RestoreTarget.ExistingVm(selector(v.vm()), disks);
    }

    private static RestoreTarget.Image image(Image i) {
        if (i.path() == null || i.path().isBlank() || i.diskKey() == null) {
            throw invalid("'target.image' needs a path and a diskKey: {\"path\": \"/var/tmp/disk.img\", "
                    + "\"diskKey\": 2000}");
        }
        try {
            return new RestoreTarget.Image(Path.of(i.path()), i.diskKey());
        } catch (InvalidPathException e) {
            throw invalid("'target.image.path' is not a path: " + e.getMessage());
        }
    }

    private static VmSelector selector(BackupRequestBody.VmBody vm) {
        if (vm == null) {
            throw invalid("'target.existingVm.vm' is required: {\"moref\": \"vm-42\"} (or instanceUuid, or name)");
        }
        return vm.selector("'target.existingVm.vm'", RestoreRequestBody::invalid);
    }

    Map<String, String> checkedTags() {
        return RequestChecks.tags(tags);
    }

    private static Optional<String> optional(String s) {
        return present(s) ? Optional.of(s.trim()) : Optional.empty();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static InvalidRequest invalid(String message) {
        return new InvalidRequest("invalid-request", "The restore request is not valid: " + message + ".");
    }
}
