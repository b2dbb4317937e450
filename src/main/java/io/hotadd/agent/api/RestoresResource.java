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

@Path("/api/v1/restores")
@Tag(name = "restores")
public class RestoresResource {
    private final JobEngine engine;
    private final RequestFingerprint fingerprint;

    RestoresResource(JobEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.fingerprint = new RequestFingerprint(json);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Restore a restore point to a new VM, into an existing VM's disks, or to an image",
            description = "Checks the restore before answering (the restore point, the target VM or image path, the "
            + "datastore, the proxy's slots), so a restore that cannot succeed is refused (4xx, type "
            + "https://hotadd.io/problems/restore/{reason}) with nothing created. An accepted restore is a job like a "
            + "backup (type RESTORE): its vm is the VM written (a new VM's moref appears once the job succeeded; "
            + "null for an image), its restorePointId the restore point restored, its progress the bytes written.")
    @APIResponse(responseCode = "202", description = "Accepted (or, with a reused Idempotency-Key and the same "
            + "body, the job the first request created: header Idempotent-Replayed: true)",
            headers = @Header(name = "Location", description = "/api/v1/jobs/{id}"),
            content = @Content(schema = @Schema(implementation = JobDocument.class)))
    @APIResponse(responseCode = "400", description = "Malformed JSON, unknown field, invalid value, not exactly one "
            + "target", content = @Content(mediaType = ProblemDocument.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "404", description = "No such restore point (restore/restore-point-not-found) or "
            + "target VM (restore/target-vm-not-found)", content = @Content(mediaType = ProblemDocument.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "409", description = "The target is in the way: restore/name-taken, "
            + "restore/target-powered-on, restore/target-has-snapshots, restore/image-exists; or the "
            + "Idempotency-Key was used with another body", content = @Content(mediaType = ProblemDocument.MEDIA_TYPE,
            schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "422", description = "The restore cannot be done as asked (restore/{reason}: "
            + "no-vm-config, unknown-network, encryption-policy-required, datastore-full, unknown-disk, "
            + "disk-too-small, image-path-invalid, ...; see docs/restore.md)",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "503", description = "The agent is still starting, or the proxy is not usable",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response restore(@Parameter(description = "Makes retries safe: the same key and body answer the same job")
                            @HeaderParam("Idempotency-Key") String idempotencyKey, RestoreRequestBody body) {
        if (body == null) {
            throw new InvalidRequest("invalid-request", "The restore request needs a JSON body, e.g. "
                    + "{\"restorePointId\": \"...\", \"target\": {\"newVm\": {\"name\": \"db01-restored\"}}}.");
        }
        String point = body.checkedRestorePointId();
        JobRequest request = new JobRequest(null, false, body.checkedTags(),
                RequestChecks.callbackUrl(body.callbackUrl()), RequestChecks.idempotencyKey(idempotencyKey),
                fingerprint.of("POST /api/v1/restores", body));
        Submitted s = engine.submitRestore(point, body.engineTarget(), request);
        return Accepted.of(s);
    }
}
