package io.hotadd.agent.api;

import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.JobPage;
import io.hotadd.agent.engine.jobs.JobQuery;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@Path("/api/v1/jobs")
@Tag(name = "jobs")
public class JobsResource {
    static final int DEFAULT_LIMIT = 50;

    private final JobEngine engine;
    private final Cursors cursors;

    JobsResource(JobEngine engine, Cursors cursors) {
        this.engine = engine;
        this.cursors = cursors;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List jobs, newest first", description = "Pages are chained by an opaque cursor, given in "
            + "the body's 'next' and in a Link: rel=\"next\" header; a cursor only works with the filters it was "
            + "issued for.")
    @APIResponse(responseCode = "200", headers = @Header(name = "Link", description = "<...>; rel=\"next\""),
            content = @Content(schema = @Schema(implementation = JobListDocument.class)))
    @APIResponse(responseCode = "400", description = "Bad state, limit or cursor",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response list(@Parameter(description = "QUEUED, RUNNING, CANCELLING, SUCCEEDED, FAILED, CANCELLED; "
                                 + "repeat or separate by commas") @QueryParam("state") List<String> state,
                         @Parameter(description = "A VM's moref, name or instance UUID") @QueryParam("vm") String vm,
                         @Parameter(description = "1..200, default 50") @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor) {
        Set<JobState> states = states(state);
        Optional<String> onVm = Optional.ofNullable(vm).filter(v -> !v.isBlank());
        String filters = "state=" + new TreeSet<>(states) + "&vm=" + onVm.orElse("");
        Optional<JobQuery.Position> after = cursor == null || cursor.isEmpty() ? Optional.empty()
                : Optional.of(cursors.decode(cursor, filters));
        int n = limit(limit);
        JobPage page = engine.list(new JobQuery(states, onVm, n, after));
        Optional<String> next = page.next().map(p -> cursors.encode(p, filters));
        Response.ResponseBuilder r = Response.ok(new JobListDocument(page.jobs().stream().map(JobDocument::of).toList(),
                next.orElse(null)));
        next.ifPresent(c -> r.header("Link", "<" + nextUrl(states, onVm, n, c) + ">; rel=\"next\""));
        return r.build();
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One job: state, phase, progress, disks, warnings, error, restore point")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobDocument.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public JobDocument get(@PathParam("id") String id) {
        return JobDocument.of(engine.get(id));
    }

    @POST
    @Path("{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel a job", description = "A queued job ends CANCELLED at once. A running one moves to "
            + "CANCELLING, stops reading, removes everything it created in vCenter, then ends CANCELLED.")
    @APIResponse(responseCode = "202", content = @Content(schema = @Schema(implementation = JobDocument.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    @APIResponse(responseCode = "409", description = "The job has already ended",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Response cancel(@PathParam("id") String id) {
        return Response.accepted(JobDocument.of(engine.cancel(id))).build();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Follow a job as server-sent events", description = "Each event carries the whole job "
            + "document; its name says what changed: state, phase, progress (at most one per progress interval), "
            + "warning. The first event is the job as it is; after the event of its terminal state the stream ends.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS,
            schema = @Schema(implementation = JobDocument.class)))
    @APIResponse(responseCode = "404", description = "No such job",
            content = @Content(mediaType = ProblemDocument.MEDIA_TYPE, schema = @Schema(implementation = ProblemDocument.class)))
    public Multi<OutboundSseEvent> events(@PathParam("id") String id, @Context Sse sse) {
        engine.get(id); // an unknown job is a 404 before the stream starts
        return Multi.createFrom().emitter(emitter -> {
            JobEventStream stream = new JobEventStream(emitter, sse);
            Runnable stop = engine.watch(id, stream::changed);
            emitter.onTermination(stop);
            stream.current(engine.get(id));
        });
    }

    private static Set<JobState> states(List<String> params) {
        Set<JobState> states = EnumSet.noneOf(JobState.class);
        for (String p : params == null ? List.<String>of() : params) {
            for (String s : p.split(",")) {
                if (s.isBlank()) {
                    continue;
                }
                try {
                    states.add(JobState.valueOf(s.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new InvalidRequest("invalid-request", "'state' must be one or more of "
                            + EnumSet.allOf(JobState.class) + "; got '" + RequestChecks.abbreviate(s) + "'.");
                }
            }
        }
        return states;
    }

    private static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= JobQuery.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw new InvalidRequest("invalid-limit", "'limit' must be a whole number from 1 to " + JobQuery.MAX_LIMIT
                + "; got '" + RequestChecks.abbreviate(limit) + "'. Page through longer lists with the cursor.");
    }

    private static String nextUrl(Set<JobState> states, Optional<String> vm, int limit, String cursor) {
        StringBuilder u = new StringBuilder("/api/v1/jobs?limit=").append(limit);
        if (!states.isEmpty()) {
            u.append("&state=").append(String.join(",", new TreeSet<>(states).stream().map(Enum::name).toList()));
        }
        vm.ifPresent(v -> u.append("&vm=").append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return u.append("&cursor=").append(cursor).toString();
    }
}
