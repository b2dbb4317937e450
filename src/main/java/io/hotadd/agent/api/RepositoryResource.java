package io.hotadd.agent.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.engine.jobs.JobEngine;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/repository")
@Tag(name = "repository")
public class RepositoryResource {
    private final JobEngine engine;
    private final RequestFingerprint fingerprint;
    private final ObjectMapper json;

    RepositoryResource(JobEngine engine, ObjectMapper json) {
        this.engine = engine;
        this.json = json;
        this.fingerprint = new RequestFingerprint(json);
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.WILDCARD)
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VerifyRequestBody.class)))
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Verify the whole repository", description = "Starts a job of type VERIFY that reads "
            + "every object back and checks it; it runs beside backups, one verification at a time. It ends FAILED "
            + "with the list of problems when it finds damage.")
    @APIResponse(responseCode = "202", headers = @Header(name = "Location", description = "/api/v1/jobs/{id}"),
            content = @Content(schema = @Schema(implementation = JobDocument.class)))
    public Response verify(@HeaderParam("Idempotency-Key") String idempotencyKey,
                           @HeaderParam("Content-Type") String contentType, byte[] body) throws IOException {
        VerifyRequestBody b = parse(contentType, body);
        JobRequest request = new JobRequest(null, false, RequestChecks.tags(b.tags()),
                RequestChecks.callbackUrl(b.callbackUrl()), RequestChecks.idempotencyKey(idempotencyKey),
                fingerprint.of("POST /api/v1/repository/verify", b));
        return Accepted.of(engine.submitVerify(request));
    }

    /** The body is optional: a bare POST verifies with no tags and no callback. */
    private VerifyRequestBody parse(String contentType, byte[] body) throws IOException {
        if (body == null || body.length == 0) {
            return new VerifyRequestBody(Map.of(), null);
        }
        if (contentType == null || !MediaType.valueOf(contentType).isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
            throw new NotSupportedException("a verify request body must be application/json");
        }
        return json.readValue(body, VerifyRequestBody.class);
    }
}
