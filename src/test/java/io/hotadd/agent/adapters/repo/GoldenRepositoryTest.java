package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The on-disk format, pinned by golden files in src/test/resources/golden/repo: a repository written with a
 * seeded random source, a fixed clock and one worker must be byte-for-byte the stored one, and the stored
 * one must open and export the expected disks. A deliberate format change regenerates them with
 * {@code -Dgolden.update=true} (and, if old repositories no longer read, a new format version).
 */
class GoldenRepositoryTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/repo");

    /** Writes the golden repository: a full and an incremental of a four-chunk disk, with a VM config. */
    private static List<byte[]> write(Storage storage) {
        try (TestRepos t = new TestRepos(); EngineDriver engine = new EngineDriver(t.clock)) {
            var oneWorker = Executors.newSingleThreadExecutor(TestRepos.daemon("golden-worker"));
            RepositoryEnvironment env = new RepositoryEnvironment(t.clock, new Random(42), oneWorker, 1, t.scheduler,
                    Duration.ofMinutes(5), "golden-host", 1, pid -> true, Duration.ofMinutes(30));
            PackRepository repo = PackRepository.init(storage, TestRepos.KEY, RepoConfig.defaults()
                    .withChunkSize(TestRepos.CHUNK).withPackSize(TestRepos.CHUNK * 2), TestRepos.TEST_ITERATIONS, env);
            byte[] disk = disk();
            List<byte[]> images = new ArrayList<>(List.of(disk.clone()));
            RestorePoint full = engine.backup(repo, "vm-golden", Optional.empty(), List.of(DiskInput.full(1, disk)));
            var changed = TestDisks.randomWrites(new Random(7), disk, 3);
            engine.backup(repo, "vm-golden", Optional.of(full.id()), List.of(DiskInput.changed(1, disk, changed)));
            images.add(disk);
            oneWorker.shutdownNow();
            return images;
        }
    }

    /** Random, text, zeros and a copy of the first chunk, plus a 4 KiB tail. */
    private static byte[] disk() {
        byte[] d = new byte[4 * TestRepos.CHUNK + 4096];
        TestDisks.fillRandom(new Random(1), d, 0, TestRepos.CHUNK);
        TestDisks.fillText(new Random(2), d, TestRepos.CHUNK, TestRepos.CHUNK);
        System.arraycopy(d, 0, d, 3 * TestRepos.CHUNK, TestRepos.CHUNK);
        TestDisks.fillText(new Random(3), d, 4 * TestRepos.CHUNK, 4096);
        return d;
    }

    @Test
    void theFormatWrittenTodayIsByteForByteTheGoldenOne() throws IOException {
        MemoryStorage storage = new MemoryStorage();
        write(storage);
        Map<String, byte[]> written = new TreeMap<>(storage.objects);
        if (Boolean.getBoolean("golden.update")) {
            update(written);
        }
        Map<String, byte[]> golden = new TreeMap<>();
        for (Storage.StoredObject o : new LocalStorage(GOLDEN).list("")) {
            golden.put(o.name(), Files.readAllBytes(GOLDEN.resolve(o.name())));
        }
        assertEquals(golden.keySet(), written.keySet(), "the same objects under the same names");
        for (String name : golden.keySet()) {
            assertArrayEquals(golden.get(name), written.get(name), "object " + name + " changed: if the format"
                    + " change is deliberate, run with -Dgolden.update=true and document it");
        }
    }

    @Test
    void theGoldenRepositoryOpensAndExportsItsDisks(@TempDir Path tmp) throws IOException {
        List<byte[]> images = write(new MemoryStorage());
        Path copy = tmp.resolve("repo"); // reading takes a lock, which must not land in the source tree
        try (var files = Files.walk(GOLDEN)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.createDirectories(copy.resolve(GOLDEN.relativize(f)).getParent());
                Files.copy(f, copy.resolve(GOLDEN.relativize(f)));
            }
        }
        try (TestRepos t = new TestRepos()) {
            PackRepository repo = PackRepository.open(new LocalStorage(copy), TestRepos.KEY, t.env());
            List<RestorePoint> points = repo.list(Optional.of("vm-golden"));
            assertEquals(2, points.size());
            for (int i = 0; i < 2; i++) {
                RestorePoint p = points.get(1 - i);
                try (DiskImage image = repo.openDisk(p.id(), 1)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    image.writeTo(Channels.newChannel(out));
                    assertArrayEquals(images.get(i), out.toByteArray(), "restore point " + i);
                }
            }
            assertEquals("config of vm-golden job 1", new String(repo.vmConfig(points.get(1).id()).orElseThrow()));
        }
    }

    private static void update(Map<String, byte[]> written) throws IOException {
        if (Files.exists(GOLDEN)) {
            try (var files = Files.walk(GOLDEN)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        for (Map.Entry<String, byte[]> e : written.entrySet()) {
            Path file = GOLDEN.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
    }
}
