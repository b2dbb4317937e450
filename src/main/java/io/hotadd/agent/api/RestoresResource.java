package io.hotadd.agent.api;

import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/restores")
@Tag(name = "restores")
public class RestoresResource {

    @POST
    @Produces(ProblemDocument.MEDIA_TYPE)
    @Operation(summary = "Restore a VM or disks (not implemented yet)", description = "Reserved: restores through "
            + "HotAdd arrive in a later version of the agent. Until then every request is answered 501.")
    @APIResponse(responseCode = "501", description = "Restores are not implemented in this version",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response restore() {
        throw new NotImplementedYet("This version of the agent cannot restore yet; restores through HotAdd come "
                + "with a later version. Restore points can be listed under /api/v1/restore-points meanwhile.");
    }
}
