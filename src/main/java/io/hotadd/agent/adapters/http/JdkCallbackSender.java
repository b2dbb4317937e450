package io.hotadd.agent.adapters.http;

import io.hotadd.agent.port.CallbackSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@link CallbackSender} on the JDK's HTTP client; redirects are not followed (a callback URL is exact). */
public final class JdkCallbackSender implements CallbackSender {
    private final HttpClient client;
    private final String userAgent;

    public JdkCallbackSender(Duration connectTimeout, String userAgent) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.userAgent = userAgent;
    }

    @Override
    public int post(URI url, byte[] json, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json").header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException("no answer from " + url.getHost() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException("interrupted while posting to " + url.getHost(), new IOException(e));
        }
    }
}
