package io.hotadd.agent.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts the harness binary as a child process and always takes it down again, with its loop devices and
 * data folder, even if a test failed or the JVM is exiting.
 */
public final class VcsimProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOOP_DEVICE = Pattern.compile("/dev/loop\\d+");
    private static final Set<VcsimProcess> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(VcsimProcess::close)));
    }

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final Vcsim vcsim;
    private volatile boolean closed;

    private VcsimProcess(Process process, Path dataDir, Path log, Vcsim vcsim) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.vcsim = vcsim;
    }

    public static VcsimProcess start(VcsimOptions options) {
        Path binary = Path.of(System.getProperty("vcsim.binary", "target/vcsim/vcsim")).toAbsolutePath();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("vCenter simulator harness not built at " + binary
                    + ": run `mvn generate-test-resources` (needs Debian packages golang-go and "
                    + "golang-github-vmware-govmomi-dev) or src/test/vcsim/build.sh");
        }
        try {
            Path runs = Files.createDirectories(Path.of(System.getProperty("vcsim.workdir", "target/vcsim-run")));
            Path dataDir = Files.createTempDirectory(runs.toAbsolutePath(), "data-");
            Path log = runs.resolve(dataDir.getFileName() + ".log").toAbsolutePath();
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-data", dataDir.toString()));
            cmd.addAll(options.arguments());
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            return awaitReady(p, dataDir, log, options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the vCenter simulator harness " + binary, e);
        }
    }

    private static VcsimProcess awaitReady(Process p, Path dataDir, Path log, VcsimOptions options) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(out));
        String line;
        try {
            line = ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("harness did not announce VCSIM_READY within "
                    + options.startTimeout() + "; its log " + log + " ends with:\n" + tail(log), e);
        }
        drainInBackground(out);
        VcsimProcess vp = new VcsimProcess(p, dataDir, log, parseReady(line));
        RUNNING.add(vp);
        return vp;
    }

    private static String readyLine(BufferedReader out) {
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith("VCSIM_READY ")) {
                    return line.substring("VCSIM_READY ".length());
                }
            }
            throw new IllegalStateException("harness exited before VCSIM_READY");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void drainInBackground(BufferedReader out) {
        Thread t = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // stdout carries only the READY line by contract; keep the pipe from filling up anyway
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "vcsim-stdout");
        t.setDaemon(true);
        t.start();
    }

    private static Vcsim parseReady(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new Vcsim(n.path("url").asText(), n.path("sha1").asText(), n.path("sha256").asText(),
                    n.path("username").asText(), n.path("password").asText(),
                    Path.of(n.path("dataDir").asText()), Path.of(n.path("devDir").asText()),
                    Path.of(n.path("byIdDir").asText()), Path.of(n.path("sysfsRoot").asText()),
                    n.path("loop").asBoolean(), new VcsimControl(URI.create(n.path("control").asText() + "/")));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable VCSIM_READY line: " + json, e);
        }
    }

    public Vcsim vcsim() {
        return vcsim;
    }

    public Path log() {
        return log;
    }

    /** Whether the harness is still running (a test that kills it can check). */
    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        RUNNING.remove(this);
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaseLoopDevices();
        deleteTree(dataDir);
    }

    /** The harness detaches its loops on SIGTERM; this covers a harness that was killed or hung. */
    private void releaseLoopDevices() {
        Path state = dataDir.resolve("state.json");
        if (!Files.exists(state)) {
            return;
        }
        try {
            Matcher m = LOOP_DEVICE.matcher(Files.readString(state));
            while (m.find()) {
                new ProcessBuilder("losetup", "-d", m.group()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            System.err.println("vcsim: could not release loop devices listed in " + state + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(root)) { // does not follow symlinks: links are deleted, not their targets
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(VcsimProcess::deleteQuietly);
        } catch (IOException e) {
            System.err.println("vcsim: could not delete " + root + ": " + e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            System.err.println("vcsim: could not delete " + p + ": " + e);
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
