package io.hotadd.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.engine.jobs.JobEngine;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/repository")
@Tag(name = "repository")
public class RepositoryResource {
    private final JobEngine engine;
    private final RequestFingerprint fingerprint;

    RepositoryResource(JobEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.fingerprint = new RequestFingerprint(json);
    }

    @POST
    @Path("verify")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the whole repository", description = "Starts a job of type VERIFY that reads "
            + "every object back and checks it; it runs beside backups, one verification at a time. It ends FAILED "
            + "with the list of problems when it finds damage.")
    @APIResponse(responseCode = "202", headers = @Header(name = "Location", description = "/api/v1/jobs/{id}"),
            content = @Content(schema = @Schema(implementation = JobDocument.class)))
    public Response verify(@HeaderParam("Idempotency-Key") String idempotencyKey, VerifyRequestBody body) {
        VerifyRequestBody b = body == null ? new VerifyRequestBody(Map.of(), null) : body;
        JobRequest request = new JobRequest(null, false, RequestChecks.tags(b.tags()),
                RequestChecks.callbackUrl(b.callbackUrl()), RequestChecks.idempotencyKey(idempotencyKey),
                fingerprint.of("POST /api/v1/repository/verify", b));
        return Accepted.of(engine.submitVerify(request));
    }
}
