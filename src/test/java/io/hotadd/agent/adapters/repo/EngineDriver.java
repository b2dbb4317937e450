package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.fakes.MutableClock;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BackupRepository.NewRestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.BlockSink;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Drives a repository the way the job engine does, through the engine's own ExtentCopier: a full backup
 * reads every block of a disk (all-zero blocks arrive as holes), an incremental reads only the changed
 * extents (blocks zeroed since the parent arrive as holes and punch the parent's entries out).
 */
final class EngineDriver implements AutoCloseable {
    /** A disk to back up: its current content and, for an incremental, the extents changed since the parent. */
    record DiskInput(int key, byte[] content, Optional<List<Extent>> changed) {
        static DiskInput full(int key, byte[] content) {
            return new DiskInput(key, content, Optional.empty());
        }

        static DiskInput changed(int key, byte[] content, List<Extent> extents) {
            return new DiskInput(key, content, Optional.of(extents));
        }
    }

    private final ExecutorService readers = Executors.newCachedThreadPool(TestRepos.daemon("disk-reader"));
    private final MutableClock clock;
    private int jobs;

    EngineDriver(MutableClock clock) {
        this.clock = clock;
    }

    RestorePoint backup(BackupRepository repo, String vmKey, Optional<String> parent, List<DiskInput> disks) {
        clock.advance(Duration.ofMinutes(1));
        NewRestorePoint spec = new NewRestorePoint(vmKey, "vm-" + vmKey, "job-" + (++jobs), parent, clock.instant());
        try (RestorePointWriter writer = repo.begin(spec)) {
            for (DiskInput d : disks) {
                NewDisk nd = new NewDisk(d.key(), "Hard disk " + d.key(), "uuid-" + d.key(), d.content().length,
                        "change-" + jobs, d.changed().isPresent());
                try (BlockSink sink = writer.disk(nd)) {
                    copy(d, sink);
                    sink.commit();
                }
            }
            writer.vmConfig(("config of " + vmKey + " job " + jobs).getBytes());
            clock.advance(Duration.ofSeconds(10));
            return writer.commit();
        }
    }

    void copy(DiskInput d, BlockSink sink) {
        BufferPool pool = new BufferPool(4, Math.max(4 * sink.blockSize(), 256 << 10));
        List<Extent> extents = d.changed().orElse(List.of(new Extent(0, d.content().length)));
        new ExtentCopier(readers, pool).copy(new ArrayBlockSource(d.content()), extents, sink,
                ExtentCopier.Listener.none());
    }

    @Override
    public void close() {
        readers.shutdownNow();
    }
}
