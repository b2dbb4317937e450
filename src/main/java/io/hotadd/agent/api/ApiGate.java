package io.hotadd.agent.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Provider;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API's front door, in front of every resource on the API port: authentication (bearer token or mTLS
 * client certificate) before anything else is looked at, the body size limit before a byte of an oversized
 * body is read, and an RFC 9457 404 for paths no resource answered. Runs on the event loop: it only reads
 * headers.
 */
@ApplicationScoped
public class ApiGate {
    /** After Vert.x' own first handlers, before every resource. */
    static final int GATE_ORDER = -10;
    static final String CHALLENGE = "Bearer realm=\"hotadd-agent\"";

    private final Provider<ApiCredentials> credentials;
    private final ObjectMapper json;
    private final long maxBodyBytes;

    /** @param credentials read at the first request, once the configuration has been checked */
    ApiGate(Provider<ApiCredentials> credentials, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.credentials = credentials;
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(GATE_ORDER).handler(this::gate);
        router.errorHandler(404, rc -> send(rc, Problems.answer(404, "not-found",
                "No such resource", "There is nothing at " + rc.normalizedPath() + "; the API lives under /api/v1 (see "
                        + "the OpenAPI document on the management port, /q/openapi).", rc.normalizedPath(), false)));
    }

    private void gate(RoutingContext rc) {
        String path = rc.normalizedPath();
        ApiCredentials.Verdict v = credentials.get().check(rc.request().getHeader("Authorization"), peer(rc.request()));
        switch (v) {
            case ALLOWED -> checkSize(rc, path);
            case MISSING -> send(rc, challenge(Problems.answer(401, "unauthorized", "Authentication required",
                    "Every API call needs 'Authorization: Bearer <token>' (or, when enabled, a client certificate).",
                    path, false), null));
            case WRONG_TOKEN -> send(rc, challenge(Problems.answer(401, "unauthorized", "Authentication failed",
                    "The bearer token is not the one this agent is configured with.", path, false), "invalid_token"));
            case SUBJECT_NOT_ALLOWED -> send(rc, Problems.answer(403, "forbidden", "Client certificate not allowed",
                    "The client certificate is trusted but its subject is not in hotadd.api.mtls.allowed-subjects.",
                    path, false));
        }
    }

    private void checkSize(RoutingContext rc, String path) {
        String length = rc.request().getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > maxBodyBytes) {
            // Answer at once, then let the client finish sending into the void: closing mid-upload would cut
            // off most clients before they read the answer. Nothing of the body is kept.
            rc.response().putHeader("Connection", "close");
            rc.request().handler(ignored -> { }).endHandler(v -> rc.request().connection().close()).resume();
            send(rc, Problems.answer(413, "body-too-large", "The request body is too large", "The body has "
                    + length + " bytes; requests to this API take at most " + maxBodyBytes + ".", path, false));
            return;
        }
        rc.next();
    }

    private static Problems.Answer challenge(Problems.Answer a, String error) {
        String value = error == null ? CHALLENGE : CHALLENGE + ", error=\"" + error + "\"";
        return new Problems.Answer(a.body(), java.util.Map.of("WWW-Authenticate", value));
    }

    private static X509Certificate[] peer(HttpServerRequest request) {
        SSLSession ssl = request.sslSession();
        if (ssl == null) {
            return null;
        }
        try {
            Certificate[] chain = ssl.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate ? new X509Certificate[] {
                    (X509Certificate) chain[0]} : null;
        } catch (SSLPeerUnverifiedException noCertificate) {
            return null;
        }
    }

    private void send(RoutingContext rc, Problems.Answer a) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(a.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a problem document always serialises", e);
        }
        rc.response().setStatusCode(a.status()).putHeader("Content-Type", ProblemDocument.MEDIA_TYPE);
        a.headers().forEach((k, v) -> rc.response().putHeader(k, v));
        rc.response().end(io.vertx.core.buffer.Buffer.buffer(body));
    }
}
