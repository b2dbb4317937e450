package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import io.hotadd.agent.engine.ExtentCopier.Listener;
import io.hotadd.agent.engine.JobObserver.DiskProgress;
import io.hotadd.agent.engine.SlotAllocator.Reservation;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BlockTarget;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The disks a restore writes, on their way through the proxy: slots reserved in numeric order, the disk files
 * attached in one reconfiguration as {@code persistent} (writes must reach the disk itself, not a redo log),
 * found in the guest by UUID and left writable, written in parallel from the restore point, flushed. Its undos,
 * journaled before each side effect, release them from the guest and then detach them, as after a backup.
 */
final class RestoreDisks {
    /** Zeroing a large gap is one ioctl per this many bytes, so cancellation is noticed between them. */
    private static final long ZERO_STEP = 1L << 30;

    private final RestoreWorkflow w;
    private final JobObserver observer;
    private final JobUndoLog cleanup;
    private final String jobId;
    private final String restorePointId;
    private final List<Attached> attached = new ArrayList<>();

    /**
     * One disk to write.
     *
     * @param disk  the target VM's disk whose file is hot-added
     * @param fresh the disk was just created empty: zero pieces are skipped (a thin disk stays thin) and
     *              nothing has to be cleared
     */
    record Target(DiskPlan plan, DiskInfo disk, boolean fresh) {
    }

    private record Attached(Target target, ScsiSlot slot, DiskInfo onProxy, GuestDisk guestDisk) {
        Attached located(GuestDisk g) {
            return new Attached(target, slot, onProxy, g);
        }
    }

    RestoreDisks(RestoreWorkflow w, JobObserver observer, JobUndoLog cleanup, String jobId, String restorePointId) {
        this.w = w;
        this.observer = observer;
        this.cleanup = cleanup;
        this.jobId = jobId;
        this.restorePointId = restorePointId;
    }

    /** Reserves slots, attaches the target disks persistent, and finds them in the guest, writable. */
    void attach(ProxyView view, List<Target> targets, BooleanSupplier cancelled) {
        Reservation reservation = w.attachments.reserve(view, targets.size(), jobId, observer, cancelled);
        VmRef proxy = view.vm().ref();
        Set<String> files = targets.stream().map(t -> t.disk().fileName()).collect(Collectors.toSet());
        // detach only: the files are the restored VM's disks and stay where they are
        cleanup.push(JobPhase.DETACHING, new Undo.DetachFiles(proxy.moref(), List.copyOf(files)),
                () -> w.attachments.release(reservation));
        observer.phase(JobPhase.ATTACHING);
        List<DiskAttachment> wanted = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ScsiSlot slot = reservation.slots().get(i);
            DiskInfo d = targets.get(i).disk();
            wanted.add(new DiskAttachment(d.fileName(), view.controllerKey(slot.bus()), slot.unit(),
                    DiskMode.PERSISTENT, d.capacityBytes()));
        }
        List<DiskInfo> onProxy = w.attachments.attach(proxy, wanted);
        for (int i = 0; i < targets.size(); i++) {
            attached.add(new Attached(targets.get(i), reservation.slots().get(i), onProxy.get(i), null));
        }
        cleanup.push(JobPhase.RELEASING_DEVICES,
                new Undo.ReleaseGuestDevices(onProxy.stream().map(DiskInfo::uuid).toList()));
        locate(view);
    }

    private void locate(ProxyView view) {
        observer.phase(JobPhase.LOCATING);
        for (int i = 0; i < attached.size(); i++) {
            Attached a = attached.get(i);
            GuestDisk g = w.guest.locate(a.onProxy().uuid(), a.target().disk().capacityBytes(),
                    view.anchorUuid(a.slot().bus()), false, w.settings.locateDeadline());
            attached.set(i, a.located(g));
        }
    }

    /** Writes every disk, several at once; when one fails the others stop, so cleanup starts promptly. */
    long write(BooleanSupplier cancelled) {
        observer.disksPlanned(attached.stream().map(a -> new DiskProgress(a.target().plan().sourceKey(),
                a.target().plan().label(), a.target().plan().capacityBytes(), a.target().plan().bytesToWrite(), null))
                .toList());
        observer.phase(JobPhase.WRITING);
        AtomicBoolean stop = new AtomicBoolean();
        BooleanSupplier stopOrCancel = () -> stop.get() || cancelled.getAsBoolean();
        List<Future<Long>> running = new ArrayList<>();
        for (Attached a : attached) {
            running.add(w.diskWriters.submit(() -> writeOne(a, stopOrCancel, stop)));
        }
        return DiskCopies.sum(running, stop, "writing");
    }

    private long writeOne(Attached a, BooleanSupplier cancelled, AtomicBoolean stopOthers) {
        int key = a.target().plan().sourceKey();
        try (DiskImage image = w.repository.openDisk(restorePointId, key);
             BlockTarget target = w.devices.openForWrite(a.guestDisk())) {
            List<Extent> extents = image.dataExtents();
            if (!a.target().fresh()) {
                clear(w.writer.untouched(extents, image.capacityBytes(), target), target, cancelled);
            }
            long n = w.writer.write(image, extents, target,
                    new Listener(bytes -> observer.bytesWritten(key, bytes), cancelled), a.target().fresh());
            target.flush();
            return n;
        } catch (RuntimeException e) {
            stopOthers.set(true);
            throw e;
        }
    }

    /** What the backup held as holes must read as zeros on a disk that had other data. */
    private static void clear(List<Extent> gaps, BlockTarget target, BooleanSupplier cancelled) {
        for (Extent gap : gaps) {
            for (long at = gap.offset(); at < gap.end(); at += ZERO_STEP) {
                if (cancelled.getAsBoolean()) {
                    throw new CopyCancelled("restore cancelled while clearing " + target);
                }
                target.zeroOut(at, Math.min(ZERO_STEP, gap.end() - at));
            }
        }
    }
}
