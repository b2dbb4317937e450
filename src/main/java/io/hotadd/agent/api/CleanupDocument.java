package io.hotadd.agent.api;

import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.engine.CrashRecovery;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** POST /api/v1/proxy/cleanup: what recovery and the orphan sweep did, or in a dry run would do. */
@Schema(name = "Cleanup")
public record CleanupDocument(boolean dryRun,
                              @Schema(description = "true when no action failed or was left out") boolean clean,
                              List<Action> actions) {

    @Schema(name = "CleanupAction")
    public record Action(
            @Schema(description = "journal (an unfinished job's recorded undo) or sweep (found in vCenter)") String origin,
            @Schema(description = "release-devices, detach-disks, destroy-clone, destroy-restored-vm, remove-snapshot,"
                    + " enable-change-tracking or enable-methods")
            String kind,
            @Schema(description = "the job that left it, when known") String jobId,
            @Schema(description = "moref of the VM acted on (the proxy for devices and disks)") String vm,
            String detail,
            @Schema(description = "PLANNED (dry run), DONE, FAILED or SKIPPED") String outcome,
            @Schema(description = "why it failed or was skipped") String error) {
    }

    static CleanupDocument of(CrashRecovery.Report r) {
        return new CleanupDocument(r.dryRun(), r.clean(), r.actions().stream().map(CleanupDocument::action).toList());
    }

    private static Action action(CleanupAction a) {
        return new Action(a.origin(), a.kind(), a.jobId(), a.vmMoref(), a.detail(), a.outcome().name(), a.error());
    }
}
