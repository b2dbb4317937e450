package io.hotadd.agent.api;

import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.engine.jobs.JobEngine;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/proxy/cleanup")
@Tag(name = "proxy")
public class ProxyCleanupResource {
    private final CrashRecovery recovery;
    private final JobEngine engine;

    ProxyCleanupResource(CrashRecovery recovery, JobEngine engine) {
        this.recovery = recovery;
        this.engine = engine;
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Remove what interrupted jobs left behind", description = "Runs the same recovery as at "
            + "start: the journal's unfinished jobs are undone in the safe order (device deleted in the guest, disk "
            + "detached from the proxy, linked clone destroyed, snapshot removed, methods re-enabled), then a sweep "
            + "of vCenter that does not trust the journal. Objects of jobs running now are left alone. Answers "
            + "every action with its outcome; with dryRun=true nothing is changed and the actions are listed as "
            + "PLANNED.")
    @APIResponse(responseCode = "200", description = "Done (clean=false when an action failed: its error says why)",
            content = @Content(schema = @Schema(implementation = CleanupDocument.class)))
    @APIResponse(responseCode = "400", description = "dryRun is not true or false",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "502", description = "vCenter could not be asked",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public CleanupDocument cleanup(@Parameter(description = "true: list what would be done, change nothing")
                                   @QueryParam("dryRun") String dryRun) {
        return CleanupDocument.of(recovery.run(engine::activeWork, dryRun(dryRun)));
    }

    private static boolean dryRun(String value) {
        if (value == null || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidRequest("invalid-request", "dryRun must be true or false; got '" + value + "'.");
    }
}
