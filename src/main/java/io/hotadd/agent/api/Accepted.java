package io.hotadd.agent.api;

import io.hotadd.agent.engine.jobs.Submitted;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The answer to a request that started a job: 202, where to follow it, and the job. */
final class Accepted {
    static final String REPLAYED = "Idempotent-Replayed";

    private Accepted() {
    }

    static Response of(Submitted s) {
        Response.ResponseBuilder r = Response.accepted(JobDocument.of(s.job()))
                .location(URI.create("/api/v1/jobs/" + s.job().id()));
        if (s.replayed()) {
            r.header(REPLAYED, "true");
        }
        return r.build();
    }
}
