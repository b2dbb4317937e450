package io.hotadd.agent.bench;

import io.hotadd.agent.adapters.blockdev.DirectBlockSource;
import io.hotadd.agent.adapters.repo.KeySource;
import io.hotadd.agent.adapters.repo.LocalStorage;
import io.hotadd.agent.adapters.repo.PackRepository;
import io.hotadd.agent.adapters.repo.RepoConfig;
import io.hotadd.agent.adapters.repo.RepositoryEnvironment;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BackupRepository.NewRestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.BlockSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The repository pipeline benchmark's Java side (bench/repo-pipeline.sh drives it; not a test):
 * {@code image <file> <MiB>} writes a mixed disk image; {@code backup <image> <repo folder>} backs it up as a
 * full through the production path (O_DIRECT DirectBlockSource, the engine's ExtentCopier, the repository's
 * hash/compress/encrypt pipeline, LocalStorage) and prints one line of figures;
 * {@code unchanged <image> <repo>} does what a backup in mode auto does for a VM whose disk did not change
 * since the newest restore point: CBT answers no changed areas, so nothing is read and the new restore point
 * starts from its parent's map; {@code restore <repo> <device>} writes the newest restore point's disk back through the restore path (PackedDiskImage decrypts and
 * decompresses, ExtentWriter writes with O_DIRECT, fdatasync), for bench/restore-write.sh.
 */
public final class RepoPipelineBench {
    private static final int SEGMENT = 16 << 20;

    private RepoPipelineBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "image" -> image(Path.of(args[1]), Integer.parseInt(args[2]));
            case "backup" -> backup(Path.of(args[1]), Path.of(args[2]), false);
            case "unchanged" -> backup(Path.of(args[1]), Path.of(args[2]), true);
            case "restore" -> restore(Path.of(args[1]), Path.of(args[2]));
            default -> throw new IllegalArgumentException("usage: image <file> <MiB> | backup <image> <repo>"
                    + " | unchanged <image> <repo>"
                    + " | restore <repo> <device>");
        }
    }

    /**
     * 16 MiB segments: 30% random (incompressible), 25% zeros, 25% text-like (compressible), 20% copies of an
     * earlier segment (deduplicated). Random segments differ, so only the copies deduplicate.
     */
    static void image(Path file, int mib) throws IOException {
        SplittableRandom random = new SplittableRandom(2024);
        byte[] segment = new byte[SEGMENT];
        byte[] text = textBlock(random);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long off = 0; off < (long) mib << 20; off += SEGMENT) {
                int kind = random.nextInt(100);
                if (kind < 30) {
                    ByteBuffer b = ByteBuffer.wrap(segment);
                    while (b.hasRemaining()) {
                        b.putLong(random.nextLong());
                    }
                } else if (kind < 55) {
                    java.util.Arrays.fill(segment, (byte) 0);
                } else if (kind < 80) {
                    for (int i = 0; i < SEGMENT; i += text.length) {
                        int start = random.nextInt(text.length / 2);
                        System.arraycopy(text, start, segment, i, Math.min(text.length - start, SEGMENT - i));
                    }
                } else if (off > 0) {
                    long from = (long) random.nextInt((int) (off / SEGMENT)) * SEGMENT;
                    segment = new byte[SEGMENT];
                    out.read(ByteBuffer.wrap(segment), from);
                }
                out.write(ByteBuffer.wrap(segment), off);
            }
            out.force(true);
        }
    }

    static byte[] textBlock(SplittableRandom random) {
        String[] words = {"the ", "backup ", "of ", "virtual ", "machine ", "disk ", "block ", "changed ",
            "tracking ", "snapshot ", "2024-05-01 ", "INFO ", "ERROR ", "user=", "id=", "\n", "{\"key\": ", "},"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < (1 << 20)) {
            sb.append(words[random.nextInt(words.length)]);
            if (random.nextInt(8) == 0) {
                sb.append(random.nextInt(100_000));
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** @param unchanged CBT answered no changed areas: an incremental on the newest restore point, nothing read */
    static void backup(Path imageFile, Path repoDir, boolean unchanged) throws IOException {
        // workers beyond the core count keep the cores busy while a worker waits for a pack's fsync
        int cores = Integer.parseInt(System.getenv().getOrDefault("BENCH_WORKERS",
                String.valueOf(Runtime.getRuntime().availableProcessors() + 1)));
        ExecutorService workers = Executors.newFixedThreadPool(cores);
        ExecutorService readers = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        RepositoryEnvironment env = RepositoryEnvironment.standard(workers, cores, scheduler);
        KeySource key = KeySource.passphrase(System.getenv().getOrDefault("BENCH_PASSWORD", "bench"));
        boolean fresh = !Files.exists(repoDir.resolve("config"));
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double startCpu = cpu.getProcessCpuTime() / 1e9;
        long opening = System.nanoTime();
        PackRepository repo = fresh ? PackRepository.init(new LocalStorage(repoDir), key, RepoConfig.defaults(),
                600_000, env) : PackRepository.open(new LocalStorage(repoDir), key, env);
        System.out.printf("pipeline: JVM start to main %.2f s cpu; repository %s in %.2f s wall, %.2f s cpu (PBKDF2,"
                + " index)%n", startCpu, fresh ? "initialised" : "opened", (System.nanoTime() - opening) / 1e9,
                cpu.getProcessCpuTime() / 1e9 - startCpu);
        System.out.println("pipeline: cpu by thread from JVM start: " + ThreadCpu.since(Map.of()));
        long cpu0 = cpu.getProcessCpuTime();
        Map<String, Double> threads0 = ThreadCpu.snapshot();
        long t0 = System.nanoTime();
        RestorePoint point = writeRestorePoint(repo, imageFile, unchanged, readers);
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (cpu.getProcessCpuTime() - cpu0) / 1e9;
        long size = Files.size(imageFile);
        System.out.printf("pipeline %s: %d bytes in %.2f s wall, %.2f s cpu (%.0f MB/s, %.0f MB/s per core used);"
                        + " new bytes %d, stored bytes %d%n", unchanged ? "unchanged (CBT: nothing changed)"
                        : fresh ? "first full" : "second full", size, wall,
                cpuSeconds, size / 1e6 / wall, size / 1e6 / cpuSeconds, point.disks().get(0).newBytes(),
                point.disks().get(0).storedBytes());
        System.out.println("pipeline cpu by thread: " + ThreadCpu.since(threads0));
        workers.shutdown();
        readers.shutdown();
        scheduler.shutdown();
        System.out.printf("pipeline: done after %.2f s in main%n", (System.nanoTime() - opening) / 1e9);
    }

    /** A full of the whole image, or (unchanged) an incremental on the newest restore point with nothing read. */
    private static RestorePoint writeRestorePoint(PackRepository repo, Path imageFile, boolean unchanged,
                                                  ExecutorService readers) throws IOException {
        Optional<String> parent = unchanged ? Optional.of(repo.list(Optional.empty()).get(0).id()) : Optional.empty();
        try (DirectBlockSource source = DirectBlockSource.open(imageFile);
             RestorePointWriter writer = repo.begin(new NewRestorePoint("bench-vm", "bench", "bench-job",
                     parent, Instant.now()))) {
            BlockSink sink = writer.disk(new NewDisk(2000, "Hard disk 1", "bench-uuid", source.size(), "*",
                    unchanged));
            List<Extent> changed = unchanged ? List.of() : List.of(new Extent(0, source.size()));
            new ExtentCopier(readers, new BufferPool(8, 4 << 20)).copy(source, changed, sink,
                    ExtentCopier.Listener.none());
            sink.commit();
            return writer.commit();
        }
    }

    static void restore(Path repoDir, Path device) {
        ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors() + 1);
        ExecutorService readers = Executors.newCachedThreadPool();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            PackRepository repo = PackRepository.open(new LocalStorage(repoDir),
                    KeySource.passphrase(System.getenv().getOrDefault("BENCH_PASSWORD", "bench")),
                    RepositoryEnvironment.standard(workers, Runtime.getRuntime().availableProcessors() + 1, scheduler));
            RestorePoint point = repo.list(Optional.empty()).get(0);
            long t0 = System.nanoTime();
            long bytes;
            try (var image = repo.openDisk(point.id(), point.disks().get(0).key());
                 var target = io.hotadd.agent.adapters.blockdev.DirectBlockTarget.open(device)) {
                bytes = new io.hotadd.agent.engine.ExtentWriter(readers, new BufferPool(8, 4 << 20)).write(image,
                        image.dataExtents(), target, ExtentCopier.Listener.none(), false);
                target.flush();
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf("restore-from-repo %d %.3f %.0f%n", bytes, wall, bytes / 1e6 / wall);
        } finally {
            workers.shutdown();
            readers.shutdown();
            scheduler.shutdown();
        }
    }
}
