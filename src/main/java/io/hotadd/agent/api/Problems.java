package io.hotadd.agent.api;

import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.engine.PreflightRefused;
import io.hotadd.agent.engine.ProxySetupException;
import io.hotadd.agent.engine.RestoreRefused;
import io.hotadd.agent.engine.SlotsUnavailable;
import io.hotadd.agent.engine.VmNotFound;
import io.hotadd.agent.engine.jobs.EngineNotReady;
import io.hotadd.agent.engine.jobs.IdempotencyConflict;
import io.hotadd.agent.engine.jobs.JobAlreadyFinished;
import io.hotadd.agent.engine.jobs.JobFailures;
import io.hotadd.agent.engine.jobs.JobNotFound;
import io.hotadd.agent.port.BackupRepository.RestorePointNotFound;
import io.hotadd.agent.port.VSphereException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Every error the API can answer, as an RFC 9457 problem with its HTTP status: one place decides the
 * status, the stable type and the title of each kind of error. Details are the exceptions' own messages,
 * which name the object concerned and the remedy.
 */
public final class Problems {

    /** A problem and the headers that go with it (Allow, Retry-After, WWW-Authenticate). */
    public record Answer(ProblemDocument body, Map<String, String> headers) {
        public int status() {
            return body.status();
        }
    }

    private Problems() {
    }

    public static Answer of(Throwable e, String instance) {
        if (e instanceof WebApplicationException w) {
            return web(w, instance);
        }
        if (e instanceof MismatchedInputException m) {
            return json(m, instance);
        }
        if (e instanceof StreamReadException parse) {
            return malformed(parse, instance);
        }
        if (e instanceof AgentException a) {
            return agent(a, instance);
        }
        return answer(500, "internal-error", "The agent met an error it did not expect", e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ". The agent's log has the details.",
                instance, null);
    }

    private static Answer agent(AgentException e, String instance) {
        if (e instanceof InvalidRequest r) {
            return answer(400, r.problemType(), "The request is not valid", e.getMessage(), instance, false);
        } else if (e instanceof JobNotFound) {
            return answer(404, "job-not-found", "No such job", e.getMessage(), instance, false);
        } else if (e instanceof RestorePointNotFound) {
            return answer(404, "restore-point-not-found", "No such restore point", e.getMessage(), instance, false);
        } else if (e instanceof JobAlreadyFinished) {
            return answer(409, "job-finished", "The job has already ended", e.getMessage(), instance, false);
        } else if (e instanceof IdempotencyConflict c) {
            return c.inFlight()
                    ? withHeader(answer(409, "idempotency-key-in-flight", "A request with this Idempotency-Key is "
                            + "in progress", e.getMessage(), instance, true), "Retry-After", "1")
                    : answer(409, "idempotency-key-reused", "The Idempotency-Key was used for another request",
                            e.getMessage(), instance, false);
        } else if (e instanceof EngineNotReady) {
            return withHeader(answer(503, "not-ready", "The agent is not ready", e.getMessage(), instance, true),
                    "Retry-After", "5");
        }
        return fromJobFailure(e, instance);
    }

    /** Errors a job can also end with: the same type slug in the problem as in the job's error. */
    private static Answer fromJobFailure(AgentException e, String instance) {
        JobFailure f = JobFailures.of(e);
        int status;
        if (e instanceof RestoreRefused r) {
            status = restoreStatus(r.reason());
        } else if (e instanceof VmNotFound || e instanceof PreflightRefused) {
            status = 422;
        } else if (e instanceof VSphereException) {
            status = 502;
        } else if (e instanceof ProxySetupException || e instanceof SlotsUnavailable || e.isRetriable()) {
            status = 503;
        } else {
            status = 500;
        }
        return answer(status, f.type(), f.title(), f.detail(), instance, f.retriable());
    }

    /** A missing object is 404, an object in the way (taken, running, existing) 409, the rest 422. */
    static int restoreStatus(String reason) {
        return switch (reason) {
            case "restore-point-not-found", "target-vm-not-found" -> 404;
            case "name-taken", "target-powered-on", "target-has-snapshots", "image-exists" -> 409;
            default -> 422;
        };
    }

    private static Answer web(WebApplicationException e, String instance) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof StreamReadException parse) {
            return malformed(parse, instance);
        } else if (e.getCause() instanceof MismatchedInputException m) {
            return json(m, instance);
        } else if (e instanceof NotFoundException) {
            return answer(404, "not-found", "No such resource", "There is nothing at " + instance + "; the API lives "
                    + "under /api/v1 (see the OpenAPI document on the management port, /q/openapi).", instance, false);
        } else if (e instanceof NotAllowedException) {
            String allow = String.join(", ", new java.util.TreeSet<>(e.getResponse().getAllowedMethods()));
            return withHeader(answer(405, "method-not-allowed", "Method not allowed", "This resource does not take "
                    + "that method" + (allow.isEmpty() ? "." : "; it allows " + allow + "."), instance, false),
                    "Allow", allow.isEmpty() ? null : allow);
        } else if (e instanceof NotSupportedException) {
            return answer(415, "unsupported-media-type", "Unsupported media type", "Send the body as "
                    + "application/json.", instance, false);
        } else if (e instanceof NotAcceptableException) {
            return answer(406, "not-acceptable", "Not acceptable", "This resource answers application/json (and "
                    + "errors as application/problem+json); accept one of them.", instance, false);
        }
        return answer(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(),
                e.getMessage(), instance, null);
    }

    private static Answer malformed(StreamReadException e, String instance) {
        return answer(400, "malformed-json", "The body is not valid JSON", "The request body is not valid JSON: "
                + e.getOriginalMessage() + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr() + ")") + ".", instance, false);
    }

    private static Answer json(MismatchedInputException e, String instance) {
        String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                : "[" + r.getIndex() + "]").collect(Collectors.joining("."));
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : "; the fields it knows are "
                    + u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return answer(400, "unknown-field", "The body has a field the API does not know", "The field '" + field
                    + "' is not part of this request" + known + ". Remove it or fix its spelling.", instance, false);
        }
        return answer(400, "invalid-request", "The request is not valid", "The field '" + field + "' has the wrong "
                + "type or value: " + e.getOriginalMessage() + ".", instance, false);
    }

    static Answer answer(int status, String slug, String title, String detail, String instance, Boolean retriable) {
        return new Answer(ProblemDocument.of(status, slug, title, detail, instance, retriable), Map.of());
    }

    private static Answer withHeader(Answer a, String name, String value) {
        return new Answer(a.body(), value == null ? a.headers() : Map.of(name, value));
    }
}
