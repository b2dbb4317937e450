package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real writer or pruner process at chosen points (after its Nth storage change, and once at
 * an arbitrary moment mid-write), then: verify finds nothing wrong, every visible restore point exports
 * exactly its image, no partial restore point is visible, and a prune collects what the dead process left.
 */
class CrashSafetyTest {
    private final TestRepos t = new TestRepos();
    private final EngineDriver engine = new EngineDriver(t.clock);
    private final Map<String, String> expected = new HashMap<>();
    @TempDir
    Path tmp;

    @AfterEach
    void release() {
        engine.close();
        t.close();
    }

    /**
     * Kill points: after each of the first storage changes of a backup or prune (lock, packs, maps, index,
     * header, deletes). The default run samples them; -Drepo.crash.exhaustive=true kills after every one.
     */
    private static int[] killPoints(int... sample) {
        return Boolean.getBoolean("repo.crash.exhaustive") ? java.util.stream.IntStream.rangeClosed(1, 14).toArray()
                : sample;
    }

    @Test
    void aWriterKilledAtAnyPointLeavesAConsistentRepository() throws Exception {
        Path dir = tmp.resolve("repo");
        PackRepository repo = t.init(new LocalStorage(dir));
        baseline(repo);
        int seed = 100;
        for (int pauseAfter : killPoints(1, 2, 3, 5, 6)) {
            assertTrue(runAndKill(dir, "write", pauseAfter, ++seed, null) || pauseAfter > 7,
                    "the writer reached its change " + pauseAfter);
            expected.put("vm-child-" + seed, TestDisks.sha256(CrashChild.disk(seed)));
            checkConsistent(dir);
        }
        runAndKill(dir, "write", -1, ++seed, null); // killed at whatever moment 400 ms finds it in
        expected.put("vm-child-" + seed, TestDisks.sha256(CrashChild.disk(seed)));
        checkConsistent(dir);
        PackRepository after = t.open(new LocalStorage(dir));
        after.prune(PrunePlan.collectGarbage());
        VerifyReport report = after.verify();
        assertTrue(report.ok() && report.unreferencedPacks() == 0, report.toString());
        try (var files = java.nio.file.Files.walk(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(".tmp-")).toList());
        }
    }

    @Test
    void aPruneKilledAtAnyPointLeavesAConsistentRepository() throws Exception {
        Path dir = tmp.resolve("repo");
        PackRepository repo = t.init(new LocalStorage(dir));
        baseline(repo);
        int seed = 200;
        for (int pauseAfter : killPoints(1, 2, 3, 4, 6, 9)) {
            // a point whose forgetting leaves partly live packs, which prune then rewrites
            byte[] disk = TestDisks.mixed(new Random(++seed), 20 * TestRepos.CHUNK);
            RestorePoint extra = engine.backup(repo, "vm-extra-" + seed, Optional.empty(),
                    List.of(DiskInput.full(1, disk)));
            expected.put(extra.id(), TestDisks.sha256(disk));
            assertTrue(runAndKill(dir, "prune", pauseAfter, seed, extra.id()) || pauseAfter > 6,
                    "the pruner reached its change " + pauseAfter);
            checkConsistent(dir);
        }
        PackRepository after = t.open(new LocalStorage(dir));
        after.prune(PrunePlan.collectGarbage());
        VerifyReport report = after.verify();
        assertTrue(report.ok() && report.unreferencedPacks() == 0, report.toString());
        checkConsistent(dir);
    }

    /** A full and an incremental of one VM, written by this process. */
    private List<RestorePoint> baseline(PackRepository repo) {
        Random random = new Random(1);
        byte[] disk = TestDisks.mixed(random, 30 * TestRepos.CHUNK);
        List<RestorePoint> points = new ArrayList<>();
        points.add(engine.backup(repo, "vm-base", Optional.empty(), List.of(DiskInput.full(1, disk))));
        expected.put(points.get(0).id(), TestDisks.sha256(disk));
        var changed = TestDisks.randomWrites(random, disk, 20);
        points.add(engine.backup(repo, "vm-base", Optional.of(points.get(0).id()), List.of(DiskInput.changed(1, disk,
                changed))));
        expected.put(points.get(1).id(), TestDisks.sha256(disk));
        return points;
    }

    /** Runs a child and kills it with SIGKILL; answers whether it was stopped at its pause point. */
    private boolean runAndKill(Path dir, String mode, int pauseAfter, int seed, String forget) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(),
                mode, dir.toString(), String.valueOf(pauseAfter), String.valueOf(seed)));
        if (forget != null) {
            cmd.add(forget);
        }
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line = null;
            if (pauseAfter < 0) {
                Thread.sleep(400);
            } else {
                while ((line = out.readLine()) != null && !line.startsWith("PAUSED") && !line.startsWith("DONE")) {
                    System.out.println("child: " + line);
                }
                System.out.println(mode + " child stopped at " + pauseAfter + ": " + line);
            }
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the killed child exited");
            return line != null && line.startsWith("PAUSED");
        }
    }

    /** Verify is clean, and every visible restore point is complete: it exports exactly its image. */
    private void checkConsistent(Path dir) {
        PackRepository repo = t.open(new LocalStorage(dir));
        VerifyReport report = repo.verify();
        assertTrue(report.ok(), report.toString());
        for (RestorePoint p : repo.list(Optional.empty())) {
            String want = p.vmKey().startsWith("vm-child-") ? expected.get(p.vmKey()) : expected.get(p.id());
            try (DiskImage image = repo.openDisk(p.id(), 1)) {
                Path file = tmp.resolve("export.raw");
                image.exportSparse(file);
                String got = TestDisks.sha256(file);
                assertEquals(want, got, "restore point " + p.id() + " of " + p.vmKey() + " exports its image");
            }
        }
    }
}
