package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code points/<id>} object: a restore point's header, sealed JSON. Writing it is the commit: it is
 * written last, after every pack, index file and disk map it depends on is durable. Disk maps are separate
 * objects so listing restore points reads kilobytes, not the maps.
 */
record PointRecord(int format, String id, String vmKey, String vmName, String jobId, String parent,
                   Instant startedAt, Instant committedAt, boolean hasVmConfig, List<DiskRecord> disks) {

    /** A disk of the restore point; its map is {@code maps/<point id>-<key>}. */
    record DiskRecord(int key, String label, String uuid, long capacityBytes, String changeId, int chunkSize,
                      long chunks, long storedBytes, long newBytes) {
        DiskSummary summary() {
            return new DiskSummary(key, label, uuid, capacityBytes, changeId, storedBytes, newBytes);
        }
    }

    RestorePoint toRestorePoint() {
        return new RestorePoint(id, vmKey, vmName, jobId, Optional.ofNullable(parent), startedAt, committedAt,
                disks.stream().map(DiskRecord::summary).toList());
    }

    Optional<DiskRecord> disk(int key) {
        return disks.stream().filter(d -> d.key() == key).findFirst();
    }

    void store(Storage storage, MetadataSealer sealer) {
        String name = RepoLayout.point(id);
        storage.put(name, ByteBuffer.wrap(sealer.seal(name, RepoJson.write(this))));
    }

    static PointRecord load(Storage storage, MetadataSealer sealer, String id) {
        String name = RepoLayout.point(id);
        PointRecord p = RepoJson.read(sealer.open(name, storage.get(name)), PointRecord.class, "restore point "
                + id);
        if (p.format() != RepoConfig.FORMAT || !id.equals(p.id())) {
            throw new RepositoryFormatException("restore point object " + name + " has format " + p.format()
                    + " and id " + p.id() + "; this agent reads format " + RepoConfig.FORMAT);
        }
        return p;
    }
}
