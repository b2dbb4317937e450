package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Verify and prune, run once per backend like {@link BackupRepositoryContract}. */
abstract class RepositoryMaintenanceContract extends BackupRepositoryContract {

    /** Two VMs, three restore points each (a full and two incrementals). */
    private List<RestorePoint> history(Random random, byte[]... disks) {
        List<RestorePoint> points = new ArrayList<>();
        for (int vm = 0; vm < disks.length; vm++) {
            RestorePoint last = engine.backup(repo, "vm-" + vm, Optional.empty(), List.of(DiskInput.full(1,
                    disks[vm])));
            points.add(last);
            for (int i = 0; i < 2; i++) {
                var changed = TestDisks.randomWrites(random, disks[vm], 6);
                last = engine.backup(repo, "vm-" + vm, Optional.of(last.id()), List.of(DiskInput.changed(1,
                        disks[vm], changed)));
                points.add(last);
            }
        }
        return points;
    }

    @Test
    void aFlippedByteInAPackIsFoundByVerifyAndRefusedByExport() {
        byte[] disk = TestDisks.mixed(new Random(11), 24 * TestRepos.CHUNK);
        RestorePoint p = engine.backup(repo, "vm-1", Optional.empty(), List.of(DiskInput.full(1, disk)));
        String pack = storage.list(RepoLayout.DATA).get(0).name();
        byte[] bytes = storage.get(pack);
        bytes[PackFormat.HEADER_BYTES + 40] ^= 1; // inside the pack's first chunk
        storage.put(pack, ByteBuffer.wrap(bytes));

        VerifyReport report = t.open(storage).verify();
        assertEquals(1, report.problems().size(), report.problems().toString());
        VerifyReport.Problem problem = report.problems().get(0);
        assertEquals(VerifyReport.Kind.DAMAGED_CHUNK, problem.kind());
        assertEquals(Set.of(p.id()), problem.affectedRestorePoints());
        assertTrue(problem.detail().contains("disk 1"), problem.detail());

        PackRepository reader = t.open(storage);
        RepositoryCorruptException e = assertThrows(RepositoryCorruptException.class,
                () -> export(reader, p, 1));
        assertTrue(e.getMessage().contains("restore point " + p.id()) && e.getMessage().contains("disk 1")
                && e.getMessage().contains("offset ") && e.getMessage().contains(problem.object()), e.getMessage());
    }

    @Test
    void aMissingPackNamesEveryRestorePointThatNeedsIt() {
        Random random = new Random(12);
        List<RestorePoint> points = history(random, TestDisks.mixed(random, 20 * TestRepos.CHUNK));
        storage.delete(storage.list(RepoLayout.DATA).get(0).name());
        VerifyReport report = t.open(storage).verify();
        assertTrue(report.problems().stream().anyMatch(q -> q.kind() == VerifyReport.Kind.MISSING_PACK));
        assertTrue(report.problems().stream().anyMatch(q -> q.kind() == VerifyReport.Kind.MISSING_CHUNK));
        assertTrue(!report.affectedRestorePoints().isEmpty(), report.toString());
        PackRepository reader = t.open(storage);
        for (RestorePoint p : points) {
            boolean exportFails;
            try {
                export(reader, p, 1);
                exportFails = false;
            } catch (RepositoryCorruptException e) {
                exportFails = true;
            }
            assertEquals(report.affectedRestorePoints().contains(p.id()), exportFails, "restore point " + p.id()
                    + " is named by verify exactly when its export fails");
        }
    }

    @Test
    void pruneKeepsTheNewestPointsPerVmAndFreesWhatOnlyTheOthersUsed() {
        Random random = new Random(13);
        byte[] d0 = TestDisks.mixed(random, 30 * TestRepos.CHUNK);
        byte[] d1 = TestDisks.mixed(random, 30 * TestRepos.CHUNK);
        List<RestorePoint> points = history(random, d0, d1);
        long before = storedBytes();
        PruneReport report = repo.prune(PrunePlan.keepLast(1).withRepackBelow(0.9));
        assertEquals(4, report.forgotten().size());
        assertTrue(storedBytes() < before, "prune freed space: " + storedBytes() + " < " + before);
        PackRepository reopened = t.open(storage);
        assertEquals(List.of(points.get(5).id(), points.get(2).id()),
                reopened.list(Optional.empty()).stream().map(RestorePoint::id).toList());
        assertEquals(TestDisks.sha256(d0), export(reopened, points.get(2), 1));
        assertEquals(TestDisks.sha256(d1), export(reopened, points.get(5), 1));
        VerifyReport verify = reopened.verify();
        assertTrue(verify.ok() && verify.unreferencedPacks() == 0, verify.toString());
        assertEquals(1, storage.list(RepoLayout.INDEX).size(), "prune leaves one complete index file");
    }

    @Test
    void forgettingEveryPointEmptiesTheRepositoryAndUnknownIdsChangeNothing() {
        Random random = new Random(14);
        List<RestorePoint> points = history(random, TestDisks.mixed(random, 10 * TestRepos.CHUNK));
        assertThrows(IllegalArgumentException.class, () -> repo.prune(PrunePlan.forget(Set.of("f".repeat(32)))));
        assertEquals(3, repo.list(Optional.empty()).size());
        repo.prune(PrunePlan.forget(Set.copyOf(points.stream().map(RestorePoint::id).toList())));
        assertEquals(List.of(), storage.list(RepoLayout.DATA));
        assertEquals(List.of(), storage.list(RepoLayout.MAPS));
        assertEquals(List.of(), storage.list(RepoLayout.INDEX));
        assertEquals(List.of(), repo.list(Optional.empty()));
    }

    @Test
    void aDeletedPointIsGoneAtOnceItsIncrementalStaysWholeAndPruneReclaimsItsData() {
        Random random = new Random(17);
        byte[] disk = TestDisks.mixed(random, 20 * TestRepos.CHUNK);
        List<RestorePoint> points = history(random, disk); // full, incremental, incremental
        long before = storedBytes();
        repo.delete(points.get(0).id());
        assertThrows(io.hotadd.agent.port.BackupRepository.RestorePointNotFound.class,
                () -> repo.delete(points.get(0).id()));
        PackRepository reopened = t.open(storage);
        assertEquals(List.of(points.get(2).id(), points.get(1).id()),
                reopened.list(Optional.empty()).stream().map(RestorePoint::id).toList());
        assertTrue(reopened.find(points.get(0).id()).isEmpty());
        assertEquals(TestDisks.sha256(disk), export(reopened, points.get(2), 1), "the newest is still whole");
        reopened.prune(PrunePlan.collectGarbage().withRepackBelow(0.99));
        assertTrue(storedBytes() < before, "prune reclaimed what only the deleted point used");
        assertTrue(t.open(storage).verify().ok());
    }

    @Test
    void chunksForgottenByPruneAreStoredAgainByTheNextBackup() {
        byte[] disk = TestDisks.mixed(new Random(15), 10 * TestRepos.CHUNK);
        RestorePoint first = engine.backup(repo, "vm", Optional.empty(), List.of(DiskInput.full(1, disk)));
        PackRepository otherProcess = t.open(storage); // loaded the index before the prune
        repo.prune(PrunePlan.forget(Set.of(first.id())));
        RestorePoint again = engine.backup(otherProcess, "vm", Optional.empty(), List.of(DiskInput.full(1, disk)));
        assertEquals(first.disks().get(0).storedBytes(), again.disks().get(0).storedBytes());
        assertTrue(again.disks().get(0).newBytes() > 0, "nothing deduplicated against pruned chunks");
        assertEquals(TestDisks.sha256(disk), export(repo, again, 1));
    }

    @Test
    void damagedDataIsNeverHandedOutByRandomReads() {
        byte[] disk = TestDisks.mixed(new Random(16), 4 * TestRepos.CHUNK);
        java.util.Arrays.fill(disk, 0, 4096, (byte) 7);
        RestorePoint p = engine.backup(repo, "vm", Optional.empty(), List.of(DiskInput.full(1, disk)));
        String pack = storage.list(RepoLayout.DATA).get(0).name();
        byte[] bytes = storage.get(pack);
        bytes[bytes.length / 2] ^= (byte) 0x80;
        storage.put(pack, ByteBuffer.wrap(bytes));
        PackRepository reader = t.open(storage);
        int failures = 0;
        try (DiskImage image = reader.openDisk(p.id(), 1)) {
            for (long off = 0; off < disk.length; off += TestRepos.CHUNK) {
                ByteBuffer buf = ByteBuffer.allocate(TestRepos.CHUNK);
                try {
                    image.read(off, buf);
                    assertEquals(ByteBuffer.wrap(disk, (int) off, TestRepos.CHUNK), buf.flip());
                } catch (RepositoryCorruptException e) {
                    failures++;
                }
            }
        }
        assertTrue(failures >= 1, "the damaged chunk was refused");
    }

    private long storedBytes() {
        return storage.list(RepoLayout.DATA).stream().mapToLong(Storage.StoredObject::size).sum();
    }
}
