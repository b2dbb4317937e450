package io.hotadd.agent.api;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/backups. Unknown fields are refused (400), so a typo never silently changes a backup. */
@Schema(name = "BackupRequest")
public record BackupRequestBody(
        @Schema(required = true, description = "Exactly one of moref, instanceUuid or name") VmBody vm,
        @Schema(enumeration = {"auto", "full", "incremental"}, defaultValue = "auto",
                description = "auto: incremental when the VM has a usable earlier restore point, else full") String mode,
        @Schema(defaultValue = "false", description = "Ask VMware Tools for a quiesced snapshot; falls back to a "
                + "crash-consistent one with a warning") Boolean quiesce,
        @Schema(description = "Free labels echoed back in the job (at most 32, 256 characters each)")
        Map<String, String> tags,
        @Schema(description = "http(s) URL the final job document is POSTed to when the job ends") String callbackUrl) {

    @Schema(name = "VmSelector")
    public record VmBody(@Schema(example = "vm-42") String moref,
                         @Schema(example = "5029c8a1-8f0b-3e1a-9f43-2d6b8c7e1a2b") String instanceUuid,
                         @Schema(example = "web01") String name) {

        /** The one VM these fields name; {@code field} says where the body holds them, for the error. */
        VmSelector selector(String field, java.util.function.Function<String, InvalidRequest> invalid) {
            List<VmSelector> named = new ArrayList<>();
            if (present(moref)) {
                named.add(new VmSelector.ByMoref(new VmRef(moref.trim())));
            }
            if (present(instanceUuid)) {
                named.add(new VmSelector.ByInstanceUuid(instanceUuid.trim()));
            }
            if (present(name)) {
                named.add(new VmSelector.ByName(name));
            }
            if (named.size() != 1) {
                throw invalid.apply(field + " must name the VM in exactly one way (moref, instanceUuid or name); "
                        + "it names it in " + named.size());
            }
            return named.get(0);
        }
    }

    /** The VM named, refusing bodies that name none or several ways. */
    VmSelector selector() {
        if (vm == null) {
            throw invalid("the field 'vm' is required: {\"vm\": {\"moref\": \"vm-42\"}} (or instanceUuid, or name)");
        }
        return vm.selector("'vm'", BackupRequestBody::invalid);
    }

    BackupMode backupMode() {
        String m = mode == null ? "auto" : mode.trim().toLowerCase(Locale.ROOT);
        return switch (m) {
            case "auto" -> BackupMode.AUTO;
            case "full" -> BackupMode.FULL;
            case "incremental" -> BackupMode.INCREMENTAL;
            default -> throw invalid("'mode' must be auto, full or incremental; got '" + mode + "'");
        };
    }

    boolean quiesced() {
        return quiesce != null && quiesce;
    }

    Map<String, String> checkedTags() {
        return RequestChecks.tags(tags);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    private static InvalidRequest invalid(String message) {
        return new InvalidRequest("invalid-request", "The backup request is not valid: " + message + ".");
    }
}
