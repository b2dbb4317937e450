package io.hotadd.agent.port;

import io.hotadd.agent.domain.Extent;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where backups live: deduplicated, compressed, encrypted restore points, one per backup of a VM.
 *
 * <p>Guarantees every implementation gives: a restore point becomes visible only after all its data and
 * index entries are durable; an aborted or crashed write leaves nothing visible; every restore point is
 * self-contained (an incremental holds the full map of each disk, so a restore never replays a chain);
 * several writers may work at once, while prune runs alone.
 */
public interface BackupRepository {

    /** Starts a restore point; nothing is visible until {@link RestorePointWriter#commit()}. */
    RestorePointWriter begin(NewRestorePoint spec);

    /** Restore points, newest first, optionally of one VM only (by {@link NewRestorePoint#vmKey()}). */
    List<RestorePoint> list(Optional<String> vmKey);

    Optional<RestorePoint> find(String restorePointId);

    /** Opens a disk of a restore point for reading (restore, export, verify). */
    DiskImage openDisk(String restorePointId, int diskKey);

    /** The VM configuration blob stored with the restore point, if any. */
    Optional<byte[]> vmConfig(String restorePointId);

    /**
     * Removes a restore point: it is no longer listed or readable once this returns. Data it alone referenced
     * is reclaimed later by prune. Restore points that were built on it are unaffected (each is
     * self-contained).
     *
     * @throws RestorePointNotFound when there is no such restore point
     */
    void delete(String restorePointId);

    /** The restore point named does not exist (any more). */
    final class RestorePointNotFound extends io.hotadd.agent.domain.AgentException {
        private static final long serialVersionUID = 1L;
        private final String restorePointId;

        public RestorePointNotFound(String restorePointId) {
            super("There is no restore point '" + restorePointId + "' in the repository; list the VM's restore points "
                    + "to find an existing one.");
            this.restorePointId = restorePointId;
        }

        public String restorePointId() {
            return restorePointId;
        }

        @Override
        public boolean isRetriable() {
            return false;
        }
    }

    /**
     * What a new restore point is of.
     *
     * @param vmKey  stable identity of the VM across renames (its instance UUID)
     * @param parent the restore point an incremental builds on; its disk maps are the starting point
     */
    record NewRestorePoint(String vmKey, String vmName, String jobId, Optional<String> parent, Instant startedAt) {
    }

    /** One disk within a restore point being written. */
    record NewDisk(int key, String label, String uuid, long capacityBytes, String changeId,
                   boolean startFromParent) {
    }

    interface RestorePointWriter extends AutoCloseable {
        /**
         * A sink for one disk. With {@code startFromParent} the disk's map starts as the parent's map of the
         * disk with the same key, and only what is handed over replaces it; otherwise it starts empty.
         */
        BlockSink disk(NewDisk disk);

        void vmConfig(byte[] config);

        /** Makes the restore point durable and visible; answers it. */
        RestorePoint commit();

        /** Drops everything written for this restore point. Idempotent. */
        void abort();

        /** Aborts unless committed. */
        @Override
        void close();
    }

    /** A disk image in a restore point: its map of data extents and random reads. */
    interface DiskImage extends AutoCloseable {
        long capacityBytes();

        /** Extents holding data, sorted; everything else reads as zeros. */
        List<Extent> dataExtents();

        /** Reads from {@code offset} into the buffer (position to limit); holes read as zeros. */
        void read(long offset, ByteBuffer buffer);

        /** Writes the whole disk as a raw image file whose holes stay holes (sparse). */
        void exportSparse(Path image);

        /** Streams the whole disk as a raw image (holes as zeros), for targets that cannot seek. */
        void writeTo(WritableByteChannel out);

        @Override
        void close();
    }

    record RestorePoint(String id, String vmKey, String vmName, String jobId, Optional<String> parent,
                        Instant startedAt, Instant committedAt, List<DiskSummary> disks) {
        public RestorePoint {
            disks = List.copyOf(disks);
        }
    }

    /**
     * @param storedBytes bytes of data this disk's map references (before deduplication across disks)
     * @param newBytes    bytes this restore point added to the repository for this disk (after dedup)
     */
    record DiskSummary(int key, String label, String uuid, long capacityBytes, String changeId, long storedBytes,
                       long newBytes) {
    }
}
