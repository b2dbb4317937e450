package io.hotadd.agent.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.api.ApiCredentials;
import io.hotadd.agent.harness.Vcsim;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The packaged agent (target/quarkus-app/quarkus-run.jar) as a separate JVM against a running harness, with
 * a state directory and a repository that survive its restarts, and a small client of its API. {@link #kill}
 * is kill -9: no shutdown hook, no cleanup, exactly what a crash or power loss leaves.
 */
final class AgentProcess implements AutoCloseable {
    static final Path APP = Path.of(System.getProperty("hotadd.quarkusApp", "target/quarkus-app"));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_LIMIT = Duration.ofSeconds(180);

    private final Vcsim vcsim;
    private final Path stateDir;
    private final Path repository;
    private final String token = UUID.randomUUID().toString();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> extraProperties;
    private Process process;
    private Path log;
    private int apiPort;
    private int managementPort;
    private int starts;

    AgentProcess(Vcsim vcsim, Path workDir, List<String> extraProperties) throws IOException {
        this.vcsim = vcsim;
        this.stateDir = Files.createDirectories(workDir.resolve("state"));
        this.repository = workDir.resolve("repository");
        this.extraProperties = List.copyOf(extraProperties);
    }

    /** Starts the agent and waits until it is ready (recovery at start included). */
    void start() throws Exception {
        if (!Files.isRegularFile(APP.resolve("quarkus-run.jar"))) {
            throw new IllegalStateException("run `mvn package` first: no " + APP.resolve("quarkus-run.jar"));
        }
        apiPort = freePort();
        managementPort = freePort();
        log = Files.createTempFile(stateDir.getParent(), "agent-" + (++starts) + "-", ".log");
        process = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady();
    }

    private List<String> command() {
        List<String> c = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + apiPort,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-Dhotadd.api.auth.token-sha256=" + ApiCredentials.sha256Hex(token), "-Dhotadd.api.tls.enabled=false",
                "-Dhotadd.state-dir=" + stateDir,
                "-Dhotadd.vcenter.url=" + vcsim.url(), "-Dhotadd.vcenter.user=" + vcsim.username(),
                "-Dhotadd.vcenter.password=" + vcsim.password(), "-Dhotadd.vcenter.thumbprint=" + vcsim.sha256(),
                "-Dhotadd.proxy.vm=" + HarnessEngine.PROXY,
                "-Dhotadd.repository.location=" + repository, "-Dhotadd.repository.passphrase=matrix passphrase",
                "-Dhotadd.repository.init-if-missing=true",
                "-Dhotadd.paths.dev=" + vcsim.devDir(), "-Dhotadd.paths.dev-disk-by-id=" + vcsim.byIdDir(),
                "-Dhotadd.paths.sys=" + vcsim.sysfsRoot(),
                "-Dhotadd.limits.parallel-disks=1", "-Dhotadd.limits.read-buffer-bytes=1048576",
                "-Dhotadd.limits.read-buffers=4", "-Dhotadd.health.probe-interval=2s",
                "-Dhotadd.jobs.shutdown-grace=5s"));
        extraProperties.forEach(p -> c.add("-D" + p));
        c.addAll(List.of("-jar", APP.resolve("quarkus-run.jar").toString()));
        return c;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the agent ended before it was ready:\n" + log());
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + managementPort + "/q/health/ready")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (ConnectException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the agent was not ready within " + START_LIMIT + ": " + last + "\n" + log());
    }

    /** kill -9, and waits until the process is gone. */
    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** POST /api/v1/backups of the VM by name; answers the job id. */
    String backup(String vmName) throws Exception {
        JsonNode job = call("POST", "/api/v1/backups", "{\"vm\":{\"name\":\"" + vmName + "\"},\"mode\":\"full\"}", 202);
        return job.path("id").asText();
    }

    JsonNode job(String id) throws Exception {
        return call("GET", "/api/v1/jobs/" + id, null, 200);
    }

    /** Waits until the job has ended; answers its document. */
    JsonNode awaitEnd(String id, Duration limit) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        JsonNode j = job(id);
        while (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.path("state").asText())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " did not end within " + limit + ": " + j + "\n" + log());
            }
            Thread.sleep(100);
            j = job(id);
        }
        return j;
    }

    JsonNode cleanup(boolean dryRun) throws Exception {
        return call("POST", "/api/v1/proxy/cleanup?dryRun=" + dryRun, "", 200);
    }

    private JsonNode call(String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + path))
                .timeout(Duration.ofSeconds(120)).header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null && !body.isEmpty()) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " -> " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    String log() {
        try {
            return log == null ? "(not started)" : Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
