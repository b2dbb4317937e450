package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.ExtentCopier.Listener;
import io.hotadd.agent.engine.HotAddedDisks.Attached;
import io.hotadd.agent.engine.JobObserver.DiskProgress;
import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.BlockSink;
import io.hotadd.agent.port.BlockSource;
import io.hotadd.agent.port.ChangedBlockTracking;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads the located disks: asks vCenter which areas to read (everything allocated, or what changed since the
 * parent's change id, falling back to a full read when CBT was reset), then copies the disks in parallel.
 * When one disk fails the others stop too, so cleanup starts promptly.
 */
final class DiskReads {
    private final BackupWorkflow w;
    private final JobObserver observer;
    private final List<String> warnings;

    private record DiskJob(Attached disk, List<Extent> extents, boolean startFromParent, String newChangeId) {
    }

    DiskReads(BackupWorkflow w, JobObserver observer, List<String> warnings) {
        this.w = w;
        this.observer = observer;
        this.warnings = warnings;
    }

    long readAll(VmInfo target, SnapshotRef snapshot, List<Attached> disks, RestorePointWriter writer,
                 BooleanSupplier cancelled) {
        Map<Integer, DiskInfo> frozen = w.vsphere.snapshotDisks(target.ref(), snapshot).stream()
                .collect(Collectors.toMap(DiskInfo::key, Function.identity()));
        List<DiskJob> jobs = new ArrayList<>();
        for (Attached a : disks) {
            jobs.add(plan(target, snapshot, a, frozen.get(a.plan().disk().key())));
        }
        List<BlockSink> sinks = new ArrayList<>();
        for (DiskJob j : jobs) {
            DiskInfo d = j.disk().plan().disk();
            sinks.add(writer.disk(new NewDisk(d.key(), d.label(), d.uuid(), d.capacityBytes(), j.newChangeId(),
                    j.startFromParent())));
        }
        List<DiskProgress> planned = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            DiskInfo d = jobs.get(i).disk().plan().disk();
            planned.add(new DiskProgress(d.key(), d.label(), d.capacityBytes(),
                    bytesToRead(jobs.get(i).extents(), sinks.get(i), d.capacityBytes()), jobs.get(i).newChangeId()));
        }
        observer.disksPlanned(planned);
        observer.phase(JobPhase.READING);
        return copyInParallel(jobs, sinks, cancelled);
    }

    // the copier reads whole sink blocks (repository chunks) around each changed area, so progress plans
    // with the same rounding: otherwise an incremental shows "2.0 MiB of 1.1 MiB read"
    private static long bytesToRead(List<Extent> extents, BlockSink sink, long capacity) {
        return Extents.totalLength(Extents.alignOut(extents, sink.blockSize(), capacity));
    }

    private DiskJob plan(VmInfo target, SnapshotRef snapshot, Attached a, DiskInfo frozen) {
        DiskInfo d = a.plan().disk();
        String changeId = frozen == null ? null : frozen.changeId();
        try {
            return new DiskJob(a, w.vsphere.changedAreas(target.ref(), snapshot, d.key(), d.capacityBytes(),
                    a.plan().sinceChangeId()), a.plan().startFromParent(), changeId);
        } catch (VSphereException.ChangeIdRejected e) {
            String msg = "vCenter no longer knows the change id of disk '" + d.label() + "' (" + e.getMessage()
                    + "); the disk is read in full";
            warnings.add(msg);
            observer.warning(msg);
            return new DiskJob(a, w.vsphere.changedAreas(target.ref(), snapshot, d.key(), d.capacityBytes(),
                    ChangedBlockTracking.ALL_ALLOCATED), false, changeId);
        }
    }

    private long copyInParallel(List<DiskJob> jobs, List<BlockSink> sinks, BooleanSupplier cancelled) {
        AtomicBoolean stop = new AtomicBoolean();
        BooleanSupplier stopOrCancel = () -> stop.get() || cancelled.getAsBoolean();
        List<Future<Long>> running = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            DiskJob job = jobs.get(i);
            BlockSink sink = sinks.get(i);
            running.add(w.diskReaders.submit(() -> copyOne(job, sink, stopOrCancel, stop)));
        }
        return DiskCopies.sum(running, stop, "reading");
    }

    private long copyOne(DiskJob job, BlockSink sink, BooleanSupplier cancelled, AtomicBoolean stopOthers) {
        int key = job.disk().plan().disk().key();
        try (BlockSource source = w.devices.openForRead(job.disk().guestDisk())) {
            long n = w.copier.copy(source, job.extents(), sink,
                    new Listener(bytes -> observer.bytesRead(key, bytes), cancelled));
            sink.commit();
            return n;
        } catch (RuntimeException e) {
            stopOthers.set(true);
            sink.abort();
            throw e;
        }
    }
}
