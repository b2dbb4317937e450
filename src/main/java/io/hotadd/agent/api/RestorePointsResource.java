package io.hotadd.agent.api;

import io.hotadd.agent.engine.jobs.RestorePointCatalog;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/restore-points")
@Tag(name = "restore-points")
@Produces(MediaType.APPLICATION_JSON)
public class RestorePointsResource {
    private final RestorePointCatalog catalog;

    RestorePointsResource(RestorePointCatalog catalog) {
        this.catalog = catalog;
    }

    @GET
    @Operation(summary = "List restore points, newest first")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation =
            RestorePointDocument.ListDocument.class)))
    public RestorePointDocument.ListDocument list(@Parameter(description = "Only this VM's, by its instance UUID "
            + "(as in a job's vm.instanceUuid)") @QueryParam("vm") String vm) {
        return new RestorePointDocument.ListDocument(catalog.list(Optional.ofNullable(vm).filter(v -> !v.isBlank()))
                .stream().map(RestorePointDocument::of).toList());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One restore point and its disks")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = RestorePointDocument.class)))
    @APIResponse(responseCode = "404", description = "No such restore point",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public RestorePointDocument get(@PathParam("id") String id) {
        return RestorePointDocument.of(catalog.get(id));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Delete a restore point", description = "It is gone from listings at once; the space only "
            + "it used is reclaimed by the repository's next prune. Restore points built on it stay restorable.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such restore point",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response delete(@PathParam("id") String id) {
        catalog.delete(id);
        return Response.noContent().build();
    }
}
