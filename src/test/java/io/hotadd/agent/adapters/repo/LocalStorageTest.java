package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local folder backend: durable writes through the OS seam, typed errors, sparse exports. */
class LocalStorageTest {
    @TempDir
    Path tmp;

    /** The real file system, except the next N calls of one operation fail as the kernel would. */
    private static final class FailingFileSystem implements LocalFileSystem {
        private final JdkLocalFileSystem real = new JdkLocalFileSystem();
        final AtomicInteger failForce = new AtomicInteger();
        final AtomicInteger failMove = new AtomicInteger();
        IOException error;

        private void maybe(AtomicInteger remaining) throws IOException {
            if (remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw error;
            }
        }

        @Override public void writeNew(Path f, ByteBuffer c) throws IOException { real.writeNew(f, c); }
        @Override public void force(Path f) throws IOException { maybe(failForce); real.force(f); }
        @Override public void move(Path a, Path b) throws IOException { maybe(failMove); real.move(a, b); }
        @Override public void forceDirectory(Path d) throws IOException { real.forceDirectory(d); }
        @Override public void createDirectories(Path d) throws IOException { real.createDirectories(d); }
        @Override public byte[] read(Path f) throws IOException { return real.read(f); }
        @Override public byte[] readRange(Path f, long o, int n) throws IOException { return real.readRange(f, o, n); }
        @Override public List<Listed> walk(Path d) throws IOException { return real.walk(d); }
        @Override public boolean delete(Path f) throws IOException { return real.delete(f); }
    }

    @Test
    void aFullDiskIsANonRetriableErrorNamingThePathAndLeavesNoTempFile() throws IOException {
        FailingFileSystem fs = new FailingFileSystem();
        fs.error = new IOException("No space left on device");
        fs.failForce.set(1);
        LocalStorage storage = new LocalStorage(tmp, fs);
        StorageException e = assertThrows(StorageException.class,
                () -> storage.put("data/ab/abcd", ByteBuffer.wrap(new byte[100])));
        assertFalse(e.isRetriable());
        assertTrue(e.getMessage().contains(tmp.resolve("data/ab/abcd").toString())
                && e.getMessage().contains("free space"), e.getMessage());
        try (var files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
        }
        fs.error = new java.nio.file.AccessDeniedException(tmp.toString());
        fs.failMove.set(1);
        StorageException denied = assertThrows(StorageException.class,
                () -> storage.put("data/ab/abcd", ByteBuffer.wrap(new byte[100])));
        assertTrue(!denied.isRetriable() && denied.getMessage().contains("permission denied"), denied.getMessage());
        fs.error = new IOException("Input/output error");
        fs.failForce.set(1);
        assertTrue(assertThrows(StorageException.class, () -> storage.put("x", ByteBuffer.wrap(new byte[1])))
                .isRetriable(), "a plain I/O error may pass");
    }

    @Test
    void objectsAreWholeOrAbsentAndTempFilesAreNeitherListedNorKeptByPrune() throws IOException {
        LocalStorage storage = new LocalStorage(tmp);
        storage.put("index/a", ByteBuffer.wrap(new byte[] {1, 2, 3, 4}));
        Files.write(tmp.resolve("index/.tmp-b-123"), new byte[] {9}); // a crashed writer's half file
        assertEquals(List.of(new Storage.StoredObject("index/a", 4)), storage.list(RepoLayout.INDEX));
        assertArrayEquals(new byte[] {2, 3}, storage.getRange("index/a", 1, 2));
        assertThrows(ObjectNotFoundException.class, () -> storage.get("index/b"));
        assertEquals(1, storage.removeLeftovers());
        storage.delete("index/a");
        storage.delete("index/a");
        assertEquals(List.of(), storage.list(RepoLayout.INDEX));
    }

    @Test
    void aFailedPackWriteFailsTheBackupWithoutAVisibleRestorePoint() {
        try (TestRepos t = new TestRepos(); EngineDriver engine = new EngineDriver(t.clock)) {
            FaultInjectingStorage storage = new FaultInjectingStorage(new LocalStorage(tmp));
            PackRepository repo = t.init(storage);
            storage.failNext(FaultInjectingStorage.Op.PUT, 1, RepoLayout.POINTS);
            byte[] disk = TestDisks.mixed(new Random(1), 30 * TestRepos.CHUNK);
            StorageException e = assertThrows(StorageException.class,
                    () -> engine.backup(repo, "vm", Optional.empty(), List.of(DiskInput.full(1, disk))));
            assertTrue(e.isRetriable());
            assertEquals(List.of(), repo.list(Optional.empty()));
            assertEquals(List.of(), storage.list(RepoLayout.DATA), "its packs were removed again");
            storage.failNext(FaultInjectingStorage.Op.PUT, 1, RepoLayout.DATA).permanent();
            assertFalse(assertThrows(StorageException.class, () -> engine.backup(repo, "vm", Optional.empty(),
                    List.of(DiskInput.full(1, disk)))).isRetriable());
            RestorePoint ok = engine.backup(repo, "vm", Optional.empty(), List.of(DiskInput.full(1, disk)));
            assertEquals(List.of(ok), repo.list(Optional.empty()));
            assertTrue(repo.verify().ok());
        }
    }

    @Test
    void aSparseExportAllocatesOnlyTheDataBlocks() throws Exception {
        try (TestRepos t = new TestRepos(); EngineDriver engine = new EngineDriver(t.clock)) {
            PackRepository repo = t.init(new LocalStorage(tmp.resolve("repo")));
            byte[] disk = new byte[64 << 20];
            TestDisks.fillRandom(new Random(2), disk, 5 << 20, 1 << 20);
            RestorePoint p = engine.backup(repo, "vm", Optional.empty(), List.of(DiskInput.full(1, disk)));
            Path image = tmp.resolve("disk.raw");
            try (DiskImage d = repo.openDisk(p.id(), 1)) {
                d.exportSparse(image);
            }
            assertEquals(disk.length, Files.size(image));
            assertArrayEquals(disk, Files.readAllBytes(image));
            Process stat = new ProcessBuilder("stat", "-c", "%b %B", image.toString()).start();
            String[] blocks = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
            long allocated = Long.parseLong(blocks[0]) * Long.parseLong(blocks[1]);
            assertTrue(allocated <= 2 << 20, "64 MiB image with 1 MiB of data allocates " + allocated + " bytes");
        }
    }

    /** Bytes of {@code file} in the page cache, by util-linux's fincore; -1 when it cannot tell. */
    private static long cached(Path file) throws Exception {
        Process p = new ProcessBuilder("fincore", "--bytes", "--noheadings", "--output", "RES", file.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor() == 0 && out.matches("\\d+") ? Long.parseLong(out) : -1;
    }

    private static ByteBuffer pack(PackBuffers buffers, byte[] content) {
        return buffers.take().put(content).flip();
    }

    @Test
    void packsAreWrittenPastThePageCacheOnExt4AndXfsAndReadBackWhole() throws Exception {
        assumeTrue(Set.of("ext4", "xfs").contains(Files.getFileStore(tmp).type()), "O_DIRECT is used on ext4 and xfs");
        byte[] content = new byte[(4 << 20) + 100]; // an unaligned tail, as every pack has
        new Random(8).nextBytes(content);
        LocalStorage storage = new LocalStorage(tmp);
        storage.put("data/aa/direct", pack(new PackBuffers(4 << 20, 64 << 10, 1), content));
        storage.put("data/aa/buffered", ByteBuffer.wrap(content));
        long direct = cached(tmp.resolve("data/aa/direct"));
        assumeTrue(direct >= 0, "fincore not available");
        assertTrue(direct <= 4096, "only the tail went through the page cache: " + direct);
        assertTrue(cached(tmp.resolve("data/aa/buffered")) > 4 << 20, "a heap buffer is written buffered");
        assertArrayEquals(content, storage.get("data/aa/direct"));
        assertArrayEquals(content, storage.get("data/aa/buffered"));
    }

    @Test
    void whereODirectFailsThePackIsWrittenBufferedAndLaterOnesToo() throws Exception {
        AtomicInteger directAttempts = new AtomicInteger();
        JdkLocalFileSystem noDirect = new JdkLocalFileSystem() {
            @Override
            java.nio.channels.FileChannel createDirect(Path file) throws IOException {
                directAttempts.incrementAndGet();
                Files.createFile(file); // as open(2) does on a file system that refuses O_DIRECT after creating
                throw new IOException("Invalid argument");
            }
        };
        LocalStorage storage = new LocalStorage(tmp, noDirect);
        byte[] content = new byte[(2 << 20) + 5];
        new Random(9).nextBytes(content);
        PackBuffers buffers = new PackBuffers(2 << 20, 64 << 10, 1);
        storage.put("data/bb/one", pack(buffers, content));
        storage.put("data/bb/two", pack(buffers, content));
        assertArrayEquals(content, storage.get("data/bb/one"));
        assertArrayEquals(content, storage.get("data/bb/two"));
        boolean directFs = Set.of("ext4", "xfs").contains(Files.getFileStore(tmp).type());
        assertEquals(directFs ? 1 : 0, directAttempts.get(), "tried once, then buffered for good");
    }
}
