package io.hotadd.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * The demo's side of the agent's REST API, as a central server would use it: start a job, then follow it
 * with GET /api/v1/jobs/{id}, drawing its phase and a progress bar (redrawn in place on a terminal, one line
 * per phase otherwise, so a log stays readable).
 */
final class DemoApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration JOB_LIMIT = Duration.ofMinutes(10);
    private static final int BAR = 30;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;
    private final PrintStream out;
    private final boolean terminal;

    DemoApi(URI base, String token, PrintStream out, boolean terminal) {
        this.base = base;
        this.token = token;
        this.out = out;
        this.terminal = terminal;
    }

    /** POSTs a job request; answers the accepted job (202), or fails with the problem the agent answered. */
    JsonNode start(String path, String body) {
        HttpResponse<String> r = send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (r.statusCode() != 202) {
            throw new DemoFailure("POST /api/v1/" + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    JsonNode get(String path) {
        HttpResponse<String> r = send(request(path).GET());
        if (r.statusCode() != 200) {
            throw new DemoFailure("GET /api/v1/" + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return parse(r.body());
    }

    /** Follows a job to its end, drawing its progress; answers its final document. */
    JsonNode follow(JsonNode accepted) throws InterruptedException {
        String id = accepted.path("id").asText();
        long deadline = System.nanoTime() + JOB_LIMIT.toNanos();
        String shownPhase = "";
        while (System.nanoTime() < deadline) {
            JsonNode job = get("jobs/" + id);
            String phase = job.path("phase").asText();
            boolean ended = job.path("finishedAt").isTextual();
            if (terminal) {
                out.print("\r" + line(job));
                if (ended) {
                    out.println();
                }
            } else if (ended || !phase.equals(shownPhase) && !"DONE".equals(phase)) {
                out.println(line(job)); // one line per phase; DONE once, when the job has ended
            }
            shownPhase = phase;
            if (ended) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new DemoFailure("job " + id + " did not end within " + JOB_LIMIT);
    }

    /** "    [##########..........]  52%  WRITING            40.0 MiB of 76.0 MiB  12.5 MiB/s". */
    static String line(JsonNode job) {
        JsonNode p = job.path("progress");
        double percent = p.path("percent").asDouble();
        int filled = (int) Math.round(Math.min(100, percent) / 100 * BAR);
        String state = job.path("state").asText();
        boolean running = "RUNNING".equals(state) || "QUEUED".equals(state);
        String phase = running || "SUCCEEDED".equals(state) ? job.path("phase").asText() : state;
        String rate = running ? Demo.size(p.path("rateBytesPerSec").asLong()) + "/s" : "";
        return String.format(Locale.ROOT, "    [%s%s] %3.0f%%  %-18s %9s of %-9s %-14s", "#".repeat(filled),
                ".".repeat(BAR - filled), percent, phase, Demo.size(p.path("bytesDone").asLong()),
                Demo.size(p.path("bytesTotal").asLong()), rate);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DemoFailure("the agent's API did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DemoFailure("interrupted while calling the agent");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DemoFailure("the agent answered something that is not JSON: " + body);
        }
    }
}
