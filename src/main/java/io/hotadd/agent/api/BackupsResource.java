package io.hotadd.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.Submitted;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/backups")
@Tag(name = "backups")
public class BackupsResource {
    private final JobEngine engine;
    private final RequestFingerprint fingerprint;

    BackupsResource(JobEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.fingerprint = new RequestFingerprint(json);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Back up a VM", description = "Resolves the VM and runs the pre-flight checks before "
            + "answering, so a backup that cannot succeed is refused (4xx) with nothing created in vCenter. An "
            + "accepted job is queued: at most the configured number run at once, never two on one VM.")
    @APIResponse(responseCode = "202", description = "Accepted (or, with a reused Idempotency-Key and the same "
            + "body, the job the first request created: header Idempotent-Replayed: true)",
            headers = @Header(name = "Location", description = "/api/v1/jobs/{id}"),
            content = @Content(schema = @Schema(implementation = JobDocument.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field, invalid value",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "409", description = "The Idempotency-Key was used with another body, or its first "
            + "request is still being processed",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "422", description = "The VM does not exist, or the pre-flight refused it (type "
            + "https://hotadd.io/problems/preflight/{reason}, e.g. non-scsi-disk, encrypted-vm, template)",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "503", description = "The agent is still starting, or the proxy is not usable",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response start(@Parameter(description = "Makes retries safe: the same key and body answer the same job")
                          @HeaderParam("Idempotency-Key") String idempotencyKey, BackupRequestBody body) {
        if (body == null) {
            throw new InvalidRequest("invalid-request", "The backup request needs a JSON body, e.g. "
                    + "{\"vm\": {\"moref\": \"vm-42\"}, \"mode\": \"auto\"}.");
        }
        JobRequest request = new JobRequest(body.backupMode(), body.quiesced(), body.checkedTags(),
                RequestChecks.callbackUrl(body.callbackUrl()), RequestChecks.idempotencyKey(idempotencyKey),
                fingerprint.of("POST /api/v1/backups", body));
        Submitted s = engine.submitBackup(body.selector(), request);
        return Accepted.of(s);
    }
}
