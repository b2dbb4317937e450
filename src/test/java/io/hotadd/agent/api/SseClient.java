package io.hotadd.agent.api;

import io.restassured.RestAssured;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a job's server-sent event stream to its end, line by line, as a client would. */
final class SseClient {
    private SseClient() {
    }

    /** @param firstEvent counted down once the first event has arrived, i.e. the stream is open */
    static List<String> read(String jobId, java.util.concurrent.CountDownLatch firstEvent) {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/jobs/" + jobId + "/events");
        HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + ApiTestSupport.TOKEN).timeout(Duration.ofSeconds(30)).build();
        try {
            HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("events answered " + response.statusCode());
            }
            List<String> lines = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("data:")) {
                        firstEvent.countDown();
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }
}
