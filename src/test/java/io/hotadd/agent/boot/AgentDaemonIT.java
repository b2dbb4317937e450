package io.hotadd.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link AgentDaemon} through init, start, stop and destroy as jsvc would, in a child JVM on the
 * packaged application (target/quarkus-app, so this runs after {@code package}, under failsafe), with the
 * same flat class path that systemd/hotadd-agent-jsvc.service gives jsvc.
 */
class AgentDaemonIT {

    private static final Path APP = Path.of(System.getProperty("hotadd.quarkusApp", "target/quarkus-app"));
    private static final Duration START_LIMIT = Duration.ofSeconds(180);
    private static final Duration STOP_LIMIT = AgentDaemon.STOP_TIMEOUT.plusSeconds(15);

    private Process child;
    private Path output;

    @AfterEach
    void killLeftover() {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
        }
    }

    @Test
    void startServesHealthAndStopEndsQuarkusCleanly() throws Exception {
        int http = freePort();
        int management = freePort();
        child = launch(http, management);

        String live = awaitHealth(management, http);
        assertTrue(live.contains("\"status\"") && live.contains("UP"), "liveness body: " + live);
        assertTrue(log().contains("DRIVER SECOND-START-REFUSED"), "a second start() must be refused:\n" + log());

        try (OutputStream stdin = child.getOutputStream()) {
            stdin.write("stop\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertTrue(child.waitFor(STOP_LIMIT.toSeconds(), TimeUnit.SECONDS), "no exit after stop:\n" + log());
        assertEquals(0, child.exitValue(), log());
        assertTrue(log().contains("DRIVER STOPPED") && log().contains("exit=0"), log());
        assertFalse(answers(management) || answers(http), "a port still answers after stop()");
    }

    @Test
    void failedStartEndsTheJvmWithQuarkusExitCode() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            child = launch(taken.getLocalPort(), freePort());
            assertTrue(child.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS),
                    "Quarkus could not bind its port, yet the JVM kept running:\n" + log());
        }
        assertNotEquals(0, child.exitValue(), log());
        assertFalse(log().contains("DRIVER STOPPED"), log());
    }

    private Process launch(int http, int management) throws IOException {
        assertTrue(Files.isRegularFile(APP.resolve("quarkus-run.jar")), "run `mvn package` first: no " + APP);
        output = Files.createTempFile("agent-daemon-it", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", classPath(), "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + http,
                "-Dquarkus.management.enabled=true", "-Dquarkus.management.host=127.0.0.1",
                "-Dquarkus.management.port=" + management, DaemonLifecycleDriver.class.getName()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** The packaged application as one flat class path, transformed bytecode before the original jars. */
    private static String classPath() {
        String sep = System.getProperty("path.separator");
        return String.join(sep, APP.resolve("lib/boot/*").toString(),
                APP.resolve("quarkus/transformed-bytecode.jar").toString(),
                APP.resolve("quarkus/generated-bytecode.jar").toString(), APP.resolve("app/*").toString(),
                APP.resolve("lib/main/*").toString(), Path.of("target/test-classes").toAbsolutePath().toString());
    }

    /**
     * Liveness from the management interface, or from the main port when the build has no management
     * interface ({@code quarkus.management.enabled} is fixed at build time).
     */
    private String awaitHealth(int... ports) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            assertTrue(child.isAlive(), "the child JVM ended before it was healthy:\n" + log());
            for (int port : ports) {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/q/health/live")).timeout(Duration.ofSeconds(5)).build();
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        return response.body();
                    }
                } catch (ConnectException notYet) {
                    // Quarkus is still starting, or this port is not the one serving health
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no healthy answer on ports " + java.util.Arrays.toString(ports) + " within "
                + START_LIMIT + ":\n" + log());
    }

    private static boolean answers(int port) {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private String log() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
