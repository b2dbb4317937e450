package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * One vCenter endpoint over {@link HttpClient}: posts SOAP envelopes and fetches the few plain files the
 * SDK serves. It owns its TLS context and connection pool, so it shares nothing with other endpoints.
 *
 * <p>The read timeout bounds the whole exchange, from sending the request to the last byte of the body:
 * HttpClient's own request timeout stops at the response headers, which would let a server that stalls
 * in the middle of a large body hang a job forever.
 */
final class SoapHttpTransport {

    /** The session cookie vCenter (and vcsim) use. */
    static final String SESSION_COOKIE = "vmware_soap_session";

    /** What came back: the status, the body, and the session cookie if the response set one. */
    record Response(int status, byte[] body, String sessionCookie) {
    }

    private final URI sdkUrl;
    private final HttpClient http;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    SoapHttpTransport(URI sdkUrl, SSLContext tls, Duration connectTimeout, Duration readTimeout) {
        this.sdkUrl = sdkUrl;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.http = HttpClient.newBuilder()
                .sslContext(tls)
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    URI sdkUrl() {
        return sdkUrl;
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    Duration readTimeout() {
        return readTimeout;
    }

    /**
     * Posts one SOAP envelope.
     *
     * @param what the call in words, for error messages ("RetrievePropertiesEx on PropertyCollector:...")
     * @throws VSphereException.Timeout or {@link VSphereException.Transport} or
     *         {@link VSphereException.UntrustedCertificate} when no HTTP response could be read
     */
    Response post(String soapAction, String cookie, String envelope, String what) {
        HttpRequest.Builder request = HttpRequest.newBuilder(sdkUrl)
                .timeout(readTimeout)
                .header("Content-Type", "text/xml; charset=utf-8")
                .header("SOAPAction", soapAction)
                .header("User-Agent", "hotadd-agent")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return exchange(request.build(), what);
    }

    /** GETs a file next to the SDK endpoint, e.g. {@code vimServiceVersions.xml}; empty unless HTTP 200. */
    Optional<byte[]> getSdkFile(String name) {
        URI file = sdkUrl.resolve(sdkUrl.getPath().endsWith("/") ? name : sdkUrl.getPath() + "/" + name);
        HttpRequest request = HttpRequest.newBuilder(file).timeout(readTimeout).GET().build();
        Response response = exchange(request, "GET " + file);
        return response.status() == 200 ? Optional.of(response.body()) : Optional.empty();
    }

    private Response exchange(HttpRequest request, String what) {
        CompletableFuture<HttpResponse<byte[]>> pending =
                http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            HttpResponse<byte[]> response = pending.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return new Response(response.statusCode(), response.body(), sessionCookieOf(response));
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw readTimedOut(what, e);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new VSphereException.Transport(what + " at " + sdkUrl + " was interrupted (the agent is"
                    + " stopping or the job was cancelled).", false, e);
        } catch (ExecutionException e) {
            throw failure(what, e.getCause() == null ? e : e.getCause());
        }
    }

    private static String sessionCookieOf(HttpResponse<?> response) {
        for (String header : response.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0].trim();
            if (pair.startsWith(SESSION_COOKIE + "=")) {
                return pair;
            }
        }
        return null;
    }

    private VSphereException readTimedOut(String what, Throwable cause) {
        return new VSphereException.Timeout("vCenter at " + sdkUrl + " did not answer " + what + " within "
                + readTimeout.toSeconds() + " s. vCenter may be overloaded or the network slow; the step can be"
                + " retried. If it keeps happening, check vCenter's health or raise the read timeout.", cause);
    }

    private VSphereException failure(String what, Throwable cause) {
        UntrustedServerCertificate untrusted = find(cause, UntrustedServerCertificate.class);
        if (untrusted != null) {
            return new VSphereException.UntrustedCertificate(untrusted.getMessage()
                    + " (while sending " + what + " to " + sdkUrl + ")", cause);
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new VSphereException.Timeout("Could not connect to vCenter at " + sdkUrl + " within "
                    + connectTimeout.toSeconds() + " s for " + what + ". Check that the address is right and that"
                    + " no firewall drops the traffic; the step can be retried.", cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return readTimedOut(what, cause);
        }
        if (cause instanceof SSLHandshakeException) {
            return new VSphereException.Transport("The TLS handshake with vCenter at " + sdkUrl + " failed for "
                    + what + ": " + cause.getMessage() + ". Check that the URL points at vCenter's HTTPS port.",
                    false, cause);
        }
        if (cause instanceof ConnectException) {
            return new VSphereException.Transport("Cannot connect to vCenter at " + sdkUrl + " for " + what + " ("
                    + cause.getMessage() + "). Check the address, the port and that vCenter is running; the step"
                    + " can be retried.", true, cause);
        }
        if (cause instanceof IOException) {
            return new VSphereException.Transport("The connection to vCenter at " + sdkUrl + " failed during "
                    + what + " (" + cause + "). The step can be retried.", true, cause);
        }
        return new VSphereException.Transport("Calling vCenter at " + sdkUrl + " for " + what + " failed: "
                + cause, false, cause);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
