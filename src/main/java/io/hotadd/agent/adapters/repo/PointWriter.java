package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BackupRepository.NewRestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.BlockSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Writes one restore point under a shared lock. Commit order is what makes it crash-safe: packs, then
 * disk maps and the VM config, then the index file, and only then the header that makes the point
 * visible. A crash before the header leaves only unreferenced objects, which prune removes.
 */
final class PointWriter implements RestorePointWriter {
    private enum State { OPEN, COMMITTED, ABORTED }

    private final RepoContext repo;
    private final NewRestorePoint spec;
    private final String id;
    private final RepositoryLock lock;
    private final ScheduledFuture<?> refresher;
    private final PackAssembler packs;
    private final ChunkPipeline pipeline;
    private final Map<Integer, RepositoryDiskSink> disks = new LinkedHashMap<>();
    private final List<String> writtenObjects = new ArrayList<>();
    private final PointRecord parent;
    private byte[] vmConfig;
    private State state = State.OPEN;
    private boolean headerAttempted;

    PointWriter(RepoContext repo, NewRestorePoint spec, RepositoryLock lock) {
        this.repo = repo;
        this.spec = spec;
        this.lock = lock;
        this.id = Ids.randomHex(repo.env().random(), 16);
        this.parent = spec.parent().map(repo::point).orElse(null); // first: it may fail, nothing to undo yet
        long every = repo.env().lockRefresh().toMillis();
        this.refresher = repo.env().scheduler().scheduleAtFixedRate(this::refreshLock, every, every,
                TimeUnit.MILLISECONDS);
        this.packs = new PackAssembler(repo.storage(), repo.sealer().aead(), repo.env().random(), repo.packBuffers(),
                repo.config().packSize());
        this.pipeline = new ChunkPipeline(repo, packs);
    }

    private void refreshLock() {
        try {
            lock.refresh();
        } catch (RuntimeException e) {
            // checkHeld at commit notices a lock that stayed unrefreshed too long
        }
    }

    @Override
    public BlockSink disk(NewDisk disk) {
        requireOpen();
        if (disks.containsKey(disk.key())) {
            throw new IllegalArgumentException("disk " + disk.key() + " was already added to this restore point");
        }
        RepositoryDiskSink sink = new RepositoryDiskSink(disk, startingMap(disk), pipeline);
        disks.put(disk.key(), sink);
        return sink;
    }

    private DiskMap startingMap(NewDisk disk) {
        if (!disk.startFromParent()) {
            return new DiskMap(repo.config().chunkSize(), disk.capacityBytes());
        }
        if (parent == null || parent.disk(disk.key()).isEmpty()) {
            throw new IllegalArgumentException("disk " + disk.key() + " should start from the parent, but "
                    + (parent == null ? "restore point has no parent" : "parent " + parent.id() + " has no disk "
                    + disk.key()) + "; back it up in full instead");
        }
        return DiskMap.startingFrom(repo.map(parent.id(), disk.key()), disk.capacityBytes());
    }

    @Override
    public void vmConfig(byte[] config) {
        requireOpen();
        this.vmConfig = config.clone();
    }

    @Override
    public RestorePoint commit() {
        requireOpen();
        try {
            for (RepositoryDiskSink sink : disks.values()) {
                if (!sink.isCommitted()) {
                    throw new IllegalStateException("disk " + sink.spec().key() + " of restore point " + id
                            + " was not committed; commit or abort each disk first");
                }
            }
            packs.flush();
            List<PointRecord.DiskRecord> records = storeMapsAndConfig();
            List<PackFormat.Entry> entries = packs.storedEntries();
            if (!entries.isEmpty()) {
                String index = IndexFiles.store(repo.storage(), repo.sealer(), id, entries);
                writtenObjects.add(index);
                repo.index().addAll(entries);
                repo.index().markLoaded(index);
            }
            lock.checkHeld();
            PointRecord point = new PointRecord(RepoConfig.FORMAT, id, spec.vmKey(), spec.vmName(), spec.jobId(),
                    spec.parent().orElse(null), spec.startedAt(), repo.env().clock().instant(), vmConfig != null,
                    records);
            headerAttempted = true;
            point.store(repo.storage(), repo.sealer());
            state = State.COMMITTED;
            return point.toRestorePoint();
        } catch (RuntimeException e) {
            failedCommit();
            throw e;
        } finally {
            release();
        }
    }

    /**
     * A header put that failed may still have landed (an S3 request can fail after the object was stored).
     * The data it references is deleted only once the header is surely gone; otherwise it stays for prune.
     */
    private void failedCommit() {
        if (headerAttempted) {
            try {
                repo.storage().delete(RepoLayout.point(id));
            } catch (RuntimeException e) {
                state = State.ABORTED;
                return;
            }
        }
        abort();
    }

    private List<PointRecord.DiskRecord> storeMapsAndConfig() {
        List<PointRecord.DiskRecord> records = new ArrayList<>();
        for (RepositoryDiskSink sink : disks.values()) {
            NewDisk d = sink.spec();
            DiskMap map = sink.map();
            putSealed(RepoLayout.map(id, d.key()), map.encode());
            long stored = 0;
            for (long position : map.chunks().keySet()) {
                stored += map.lengthAt(position);
            }
            records.add(new PointRecord.DiskRecord(d.key(), d.label(), d.uuid(), d.capacityBytes(), d.changeId(),
                    map.chunkSize(), map.chunks().size(), stored, sink.newBytes()));
        }
        if (vmConfig != null) {
            putSealed(RepoLayout.vmConfig(id), vmConfig);
        }
        return records;
    }

    private void putSealed(String name, byte[] payload) {
        writtenObjects.add(name);
        repo.storage().put(name, ByteBuffer.wrap(repo.sealer().seal(name, payload)));
    }

    @Override
    public void abort() {
        if (state != State.OPEN) {
            return;
        }
        state = State.ABORTED;
        for (RepositoryDiskSink sink : disks.values()) {
            sink.close();
        }
        packs.deleteWritten();
        for (String name : writtenObjects) {
            try {
                repo.storage().delete(name);
            } catch (RuntimeException e) {
                // unreferenced leftovers are removed by prune
            }
        }
        release();
    }

    private void release() {
        refresher.cancel(false);
        pipeline.close();
        lock.close();
    }

    @Override
    public void close() {
        abort();
    }

    private void requireOpen() {
        if (state != State.OPEN) {
            throw new IllegalStateException("restore point " + id + " was already " + state.name().toLowerCase());
        }
    }
}
