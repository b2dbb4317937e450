package io.hotadd.agent.demo;

import io.hotadd.agent.harness.Vcsim;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged agent (target/quarkus-app/quarkus-run.jar) as a child process, configured like an appliance
 * but pointed at the harness: vCenter's certificate pinned by the SHA-256 the harness announced, the proxy's
 * Linux roots replaced by the harness's, a new repository in the work folder, a random API token. Its log goes
 * to a file in the work folder. Always stopped by {@link #close}, also when the JVM exits.
 */
final class DemoAgent implements AutoCloseable {
    static final Path APP = Path.of(System.getProperty("hotadd.quarkusApp", "target/quarkus-app"));
    private static final Duration READY_LIMIT = Duration.ofSeconds(180);

    final String token;
    final URI api;
    final Path log;
    private final URI ready;
    private final Process process;
    private final Thread onExit;

    DemoAgent(Vcsim vc, Path work) throws IOException {
        Path jar = APP.resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the agent is not built: no " + jar + "; run `mvn package -DskipTests`");
        }
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Path password = secret(secrets.resolve("vcenter.password"), vc.password().getBytes(StandardCharsets.UTF_8));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Path repoKey = secret(secrets.resolve("repository.key"), key);
        token = HexFormat.of().formatHex(key, 0, 16);
        int http = freePort();
        int management = freePort();
        api = URI.create("http://127.0.0.1:" + http + "/api/v1/");
        ready = URI.create("http://127.0.0.1:" + management + "/q/health/ready");
        log = work.resolve("agent.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // the appliance's JVM options (docs/configuration.md, "Memory")
                "-Xmx112m", "-XX:+UseSerialGC", "-Djdk.nio.maxCachedBufferSize=262144",
                "-Dhotadd.state-dir=" + work.resolve("state").toAbsolutePath(),
                "-Dhotadd.vcenter.url=" + vc.url(), "-Dhotadd.vcenter.user=" + vc.username(),
                "-Dhotadd.vcenter.password-file=" + password, "-Dhotadd.vcenter.thumbprint=" + vc.sha256(),
                "-Dhotadd.proxy.vm=" + Demo.PROXY,
                "-Dhotadd.repository.location=" + work.resolve("repository").toAbsolutePath(),
                "-Dhotadd.repository.key-file=" + repoKey, "-Dhotadd.repository.init-if-missing=true",
                "-Dhotadd.paths.dev=" + vc.devDir(), "-Dhotadd.paths.dev-disk-by-id=" + vc.byIdDir(),
                "-Dhotadd.paths.sys=" + vc.sysfsRoot(),
                "-Dhotadd.api.auth.token-sha256=" + sha256Hex(token),
                // plain HTTP on the loopback only: the demo's client and the agent share this machine
                "-Dhotadd.api.tls.enabled=false", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + management,
                "-Dhotadd.jobs.progress-interval=0.2s", "-jar", jar.toAbsolutePath().toString()));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        onExit = new Thread(this::stop, "demo-agent-stop");
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Waits until the agent reports ready: vCenter session, proxy layout, repository, recovery. */
    void awaitReady() throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + READY_LIMIT.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the agent stopped with exit code " + process.exitValue()
                        + " before it was ready; its log: " + log);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("the agent was not ready within " + READY_LIMIT + " (" + last + "); its log: "
                + log);
    }

    long pid() {
        return process.pid();
    }

    /** The agent's peak resident memory so far (VmHWM), or -1 where /proc does not tell. */
    long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private void stop() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the agent cancels running jobs and cleans up in vCenter first
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException exiting) {
            // the JVM is already exiting: the hook runs (harmlessly) anyway
        }
    }

    private static Path secret(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file.toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
