package io.hotadd.agent.api;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every exception a resource (or the JSON reader) throws becomes an application/problem+json answer. The
 * narrower mappers exist because the most specific mapper wins: without them Quarkus' own mapper for
 * Jackson's input errors would answer its own JSON shape.
 */
public class ProblemMapper {
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper(priority = 1)
    public Response jsonInput(MismatchedInputException e, UriInfo uri) {
        return answer(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response web(WebApplicationException e, UriInfo uri) {
        return answer(e, uri);
    }

    @ServerExceptionMapper(priority = 1)
    public Response any(Throwable e, UriInfo uri) {
        return answer(e, uri);
    }

    private static Response answer(Throwable e, UriInfo uri) {
        Problems.Answer a = Problems.of(e, uri.getPath());
        if (a.status() >= 500 && a.status() != 501 && a.status() != 503) {
            LOG.errorf(e, "%s answered %d %s", uri.getPath(), a.status(), a.body().type());
        }
        Response.ResponseBuilder r = Response.status(a.status()).type(ProblemDocument.MEDIA_TYPE).entity(a.body());
        a.headers().forEach(r::header);
        return r.build();
    }
}
