package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.BackupPlanner.DiskPlan;
import io.hotadd.agent.engine.SlotAllocator.Reservation;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The clone's disks on the proxy: slots reserved in numeric order, attached in one reconfiguration as
 * independent-nonpersistent (writes, if any, land in a redo log, never in the clone), found in the guest by
 * UUID and made read-only. Its undo actions release them from the guest, then detach them.
 */
final class HotAddedDisks {
    private final BackupWorkflow w;
    private final JobObserver observer;
    private final JobUndoLog cleanup;
    private final String jobId;
    final List<Attached> attached = new ArrayList<>();

    /** One target disk on its way through the proxy. */
    record Attached(DiskPlan plan, DiskInfo cloneDisk, ScsiSlot slot, DiskInfo onProxy, GuestDisk guestDisk) {
        Attached located(GuestDisk g) {
            return new Attached(plan, cloneDisk, slot, onProxy, g);
        }
    }

    HotAddedDisks(BackupWorkflow w, JobObserver observer, JobUndoLog cleanup, String jobId) {
        this.w = w;
        this.observer = observer;
        this.cleanup = cleanup;
        this.jobId = jobId;
    }

    void attach(ProxyView view, VmRef clone, List<DiskPlan> plans, BooleanSupplier cancelled) {
        List<DiskInfo> cloneDisks = cloneDisksFor(clone, plans);
        Reservation reservation = w.attachments.reserve(view, plans.size(), jobId, observer, cancelled);
        Set<String> files = cloneDisks.stream().map(DiskInfo::fileName).collect(Collectors.toSet());
        VmRef proxy = view.vm().ref();
        cleanup.push(JobPhase.DETACHING, new Undo.DetachFiles(proxy.moref(), List.copyOf(files)),
                () -> w.attachments.release(reservation));
        observer.phase(JobPhase.ATTACHING);
        List<DiskAttachment> attachments = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            ScsiSlot slot = reservation.slots().get(i);
            DiskInfo d = cloneDisks.get(i);
            attachments.add(new DiskAttachment(d.fileName(), view.controllerKey(slot.bus()), slot.unit(),
                    DiskMode.INDEPENDENT_NONPERSISTENT, d.capacityBytes()));
        }
        List<DiskInfo> onProxy = w.attachments.attach(proxy, attachments);
        for (int i = 0; i < plans.size(); i++) {
            attached.add(new Attached(plans.get(i), cloneDisks.get(i), reservation.slots().get(i), onProxy.get(i), null));
        }
        pushGuestRelease();
        locate(view);
    }

    /** The clone's disk for each planned target disk: same device key (clones keep keys), else same slot. */
    private List<DiskInfo> cloneDisksFor(VmRef clone, List<DiskPlan> plans) {
        VmInfo c = w.vsphere.read(clone).orElseThrow(() -> new IllegalStateException("linked clone " + clone
                + " vanished right after it was created"));
        List<DiskInfo> out = new ArrayList<>();
        for (DiskPlan p : plans) {
            out.add(c.disk(p.disk().key()).orElseGet(() -> c.disks().stream()
                    .filter(d -> d.unitNumber() == p.disk().unitNumber() && d.controllerKey() == p.disk().controllerKey())
                    .findFirst().orElseThrow(() -> new IllegalStateException("the linked clone " + c.name()
                            + " has no disk matching '" + p.disk().label() + "'"))));
        }
        return out;
    }

    private void pushGuestRelease() {
        List<String> uuids = attached.stream().map(a -> a.onProxy().uuid()).toList();
        cleanup.push(JobPhase.RELEASING_DEVICES, new Undo.ReleaseGuestDevices(uuids));
    }

    private void locate(ProxyView view) {
        observer.phase(JobPhase.LOCATING);
        for (int i = 0; i < attached.size(); i++) {
            Attached a = attached.get(i);
            GuestDisk g = w.guest.locate(a.onProxy().uuid(), a.cloneDisk().capacityBytes(),
                    view.anchorUuid(a.slot().bus()), true, w.settings.locateDeadline());
            attached.set(i, a.located(g));
        }
    }

    long read(VmInfo target, io.hotadd.agent.domain.SnapshotRef snapshot,
              io.hotadd.agent.port.BackupRepository.RestorePointWriter writer, List<String> warnings,
              BooleanSupplier cancelled) {
        return new DiskReads(w, observer, warnings).readAll(target, snapshot, attached, writer, cancelled);
    }
}
