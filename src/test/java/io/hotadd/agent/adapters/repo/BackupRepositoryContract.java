package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BackupRepository.NewRestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.BlockSink;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every backend must give the repository, run once per backend (local folder, S3, memory): the same
 * BackupRepository behaviour whatever stores the objects.
 */
abstract class BackupRepositoryContract {
    protected final TestRepos t = new TestRepos();
    protected final EngineDriver engine = new EngineDriver(t.clock);
    protected Storage storage;
    protected PackRepository repo;
    @TempDir
    Path tmp;

    /** A new, empty storage of the backend under test. */
    protected abstract Storage newStorage();

    @BeforeEach
    void create() {
        storage = newStorage();
        repo = t.init(storage);
    }

    @AfterEach
    void release() {
        engine.close();
        t.close();
        storage.close();
    }

    protected String export(PackRepository r, RestorePoint p, int disk) {
        Path file = tmp.resolve(p.id() + "-" + disk + ".raw");
        try (DiskImage image = r.openDisk(p.id(), disk)) {
            image.exportSparse(file);
        }
        return TestDisks.sha256(file);
    }

    @Test
    void aFullBackupReadsBackExactlyAsFileStreamAndRandomReads() {
        byte[] disk = TestDisks.mixed(new Random(1), 3 * TestRepos.CHUNK * 5 + 12345);
        RestorePoint p = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(2000, disk)));
        assertEquals(TestDisks.sha256(disk), export(repo, p, 2000));
        try (DiskImage image = repo.openDisk(p.id(), 2000)) {
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            image.writeTo(Channels.newChannel(stream));
            assertArrayEquals(disk, stream.toByteArray());
            ByteBuffer middle = ByteBuffer.allocate(100_000);
            image.read(TestRepos.CHUNK - 777, middle);
            assertArrayEquals(java.util.Arrays.copyOfRange(disk, TestRepos.CHUNK - 777, TestRepos.CHUNK - 777
                    + 100_000), middle.array());
            assertEquals(disk.length, image.capacityBytes());
        }
        assertEquals(List.of(p), repo.list(Optional.of("vm-1")));
        assertEquals(Optional.of(p), t.open(storage).find(p.id()), "a second process sees the same point");
    }

    @Test
    void aReadAcrossManyChunksAndHolesReadsExactlyAsTheDisk() {
        byte[] disk = new byte[12 * TestRepos.CHUNK];
        for (int c : new int[] {1, 2, 4, 7, 8, 11}) {
            TestDisks.fillRandom(new Random(c), disk, c * TestRepos.CHUNK, TestRepos.CHUNK);
        }
        RestorePoint p = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(3, disk)));
        try (DiskImage image = repo.openDisk(p.id(), 3)) {
            ByteBuffer all = ByteBuffer.allocateDirect(disk.length - 100);
            image.read(50, all);
            byte[] read = new byte[disk.length - 100];
            all.flip().get(read);
            assertArrayEquals(java.util.Arrays.copyOfRange(disk, 50, disk.length - 50), read, "one big read");
            ByteBuffer again = ByteBuffer.allocate(3 * TestRepos.CHUNK);
            image.read(6 * TestRepos.CHUNK, again);
            assertArrayEquals(java.util.Arrays.copyOfRange(disk, 6 * TestRepos.CHUNK, 9 * TestRepos.CHUNK),
                    again.array(), "a read starting in a hole, after the cached chunk moved on");
        }
    }

    @Test
    void zeroBlocksAreHolesThatStoreNothing() {
        byte[] disk = new byte[8 * TestRepos.CHUNK];
        TestDisks.fillRandom(new Random(2), disk, 3 * TestRepos.CHUNK, TestRepos.CHUNK);
        RestorePoint p = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(1, disk)));
        try (DiskImage image = repo.openDisk(p.id(), 1)) {
            assertEquals(List.of(new Extent(3L * TestRepos.CHUNK, TestRepos.CHUNK)), image.dataExtents());
        }
        assertEquals(TestRepos.CHUNK, p.disks().get(0).storedBytes());
    }

    @Test
    void everyRestorePointOfAChainOfTenIncrementalsExportsItsOwnImage() {
        Random random = new Random(3);
        byte[] disk = TestDisks.mixed(random, 40 * TestRepos.CHUNK + 4096);
        List<RestorePoint> points = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        points.add(engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(7, disk))));
        expected.add(TestDisks.sha256(disk));
        for (int i = 0; i < 10; i++) {
            List<Extent> changed = TestDisks.randomWrites(random, disk, 1 + random.nextInt(12));
            RestorePoint parent = points.get(points.size() - 1);
            points.add(engine.backup(repo, "vm-1", Optional.of(parent.id()), List.of(DiskInput.changed(7, disk,
                    changed))));
            expected.add(TestDisks.sha256(disk));
        }
        PackRepository reopened = t.open(storage);
        for (int i = 0; i < points.size(); i++) {
            assertEquals(expected.get(i), export(reopened, points.get(i), 7), "restore point " + i + " of the chain");
        }
        assertTrue(reopened.verify().ok());
    }

    /** Other callers hand over data without a hold: the sink must copy it before returning. */
    @Test
    void dataHandedOverWithoutAHoldIsCopiedBeforeTheCallerReusesItsBuffer() {
        byte[] disk = TestDisks.mixed(new Random(6), 12 * TestRepos.CHUNK + 4096);
        NewRestorePoint spec = new NewRestorePoint("vm-1", "vm", "job", Optional.empty(), t.clock.instant());
        RestorePoint p;
        try (RestorePointWriter w = repo.begin(spec)) {
            BlockSink sink = w.disk(new NewDisk(1, "disk", "u", disk.length, "c", false));
            ByteBuffer reused = ByteBuffer.allocate(2 * TestRepos.CHUNK); // a heap buffer, rewritten at once
            for (int off = 0; off < disk.length; off += reused.capacity()) {
                int n = Math.min(reused.capacity(), disk.length - off);
                reused.clear().put(disk, off, n).flip();
                sink.data(off, reused);
                java.util.Arrays.fill(reused.array(), (byte) 0x5a);
            }
            sink.commit();
            p = w.commit();
        }
        assertEquals(TestDisks.sha256(disk), export(repo, p, 1));
    }

    @Test
    void anUnchangedSecondFullStoresLessThanOnePercentNew() {
        byte[] disk = TestDisks.mixed(new Random(4), 64 * TestRepos.CHUNK);
        RestorePoint first = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(1, disk)));
        RestorePoint second = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(1, disk)));
        long firstNew = first.disks().get(0).newBytes();
        long secondNew = second.disks().get(0).newBytes();
        assertTrue(firstNew > 0);
        assertTrue(secondNew * 100 < firstNew, "second full stored " + secondNew + " new bytes of " + firstNew);
        assertEquals(first.disks().get(0).storedBytes(), second.disks().get(0).storedBytes());
    }

    @Test
    void anAbortedOrUncommittedRestorePointLeavesNothingVisible() {
        byte[] disk = TestDisks.mixed(new Random(5), 40 * TestRepos.CHUNK);
        NewRestorePoint spec = new NewRestorePoint("vm-1", "vm", "job", Optional.empty(), t.clock.instant());
        try (RestorePointWriter w = repo.begin(spec)) {
            BlockSink sink = w.disk(new NewDisk(1, "disk", "u", disk.length, "c", false));
            engine.copy(DiskInput.full(1, disk), sink);
            sink.commit();
            // closed without commit
        }
        assertEquals(List.of(), repo.list(Optional.empty()));
        assertEquals(List.of(), storage.list(RepoLayout.DATA), "the packs it stored were removed again");
        assertEquals(List.of(), storage.list(RepoLayout.LOCKS), "its lock was released");
    }

    @Test
    void aWrongPassphraseOrKeyFileOpensNothing() throws Exception {
        WrongKeyException e = assertThrows(WrongKeyException.class,
                () -> PackRepository.open(storage, KeySource.passphrase("wrong"), t.env()));
        assertTrue(e.getMessage().contains("opens none of the 1 keys") && !e.isRetriable(), e.getMessage());
        Path keyFile = tmp.resolve("key");
        java.nio.file.Files.write(keyFile, new byte[32]);
        assertThrows(WrongKeyException.class, () -> PackRepository.open(storage, new KeySource.KeyFile(keyFile),
                t.env()));
    }

    @Test
    void aRepositoryOpenedWithAKeyFileWorksAndTheConfigIsRefusedIfFromTheFuture() throws Exception {
        Storage other = newStorage();
        Path keyFile = tmp.resolve("key");
        java.nio.file.Files.write(keyFile, new Random(6).ints(48, 0, 256).collect(ByteArrayOutputStream::new,
                ByteArrayOutputStream::write, (a, b) -> { }).toByteArray());
        PackRepository.init(other, new KeySource.KeyFile(keyFile), RepoConfig.defaults(), TestRepos.TEST_ITERATIONS,
                t.env());
        assertEquals(RepoConfig.DEFAULT_CHUNK, PackRepository.open(other, new KeySource.KeyFile(keyFile), t.env())
                .config().chunkSize());
        String config = new String(other.get(RepoLayout.CONFIG)).replace("\"format\":1", "\"format\":9");
        other.put(RepoLayout.CONFIG, ByteBuffer.wrap(config.getBytes()));
        RepositoryFormatException e = assertThrows(RepositoryFormatException.class,
                () -> PackRepository.open(other, new KeySource.KeyFile(keyFile), t.env()));
        assertTrue(e.getMessage().contains("format version 9"), e.getMessage());
    }

    @Test
    void twoWritersMayWorkAtOnceAndTheVmConfigIsKeptPerPoint() {
        byte[] a = TestDisks.mixed(new Random(7), 20 * TestRepos.CHUNK);
        byte[] b = TestDisks.mixed(new Random(8), 20 * TestRepos.CHUNK);
        RestorePointWriter wa = repo.begin(new NewRestorePoint("vm-a", "a", "j1", Optional.empty(), t.clock.instant()));
        RestorePointWriter wb = t.open(storage).begin(new NewRestorePoint("vm-b", "b", "j2", Optional.empty(),
                t.clock.instant()));
        for (var w : List.of(java.util.Map.entry(wa, a), java.util.Map.entry(wb, b))) {
            BlockSink sink = w.getKey().disk(new NewDisk(1, "disk", "u", w.getValue().length, "c", false));
            engine.copy(DiskInput.full(1, w.getValue()), sink);
            sink.commit();
            w.getKey().vmConfig(new byte[] {(byte) w.getValue()[0], 42});
        }
        RestorePoint pa = wa.commit();
        RestorePoint pb = wb.commit();
        assertEquals(TestDisks.sha256(a), export(repo, pa, 1));
        assertEquals(TestDisks.sha256(b), export(repo, pb, 1));
        assertArrayEquals(new byte[] {a[0], 42}, repo.vmConfig(pa.id()).orElseThrow());
        assertFalse(repo.vmConfig("0".repeat(32)).isPresent());
    }

    @Test
    void pruneIsRefusedWhileAWriterHoldsItsLock() {
        try (RestorePointWriter w = repo.begin(new NewRestorePoint("vm", "vm", "j", Optional.empty(),
                t.clock.instant()))) {
            RepositoryLockedException e = assertThrows(RepositoryLockedException.class,
                    () -> repo.prune(PrunePlan.collectGarbage()));
            assertTrue(e.isRetriable() && e.getMessage().contains("backup of VM vm"), e.getMessage());
        }
        repo.prune(PrunePlan.collectGarbage());
    }
}
