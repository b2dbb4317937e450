package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.GuestDisks;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Carries out one journaled {@link Undo}, the same way for a job cleaning up after itself and for the
 * recovery of a job a crash interrupted. Every undo is idempotent (what is already gone counts as done) and
 * safe on its own: detaching first deletes the guest's device of each disk it detaches, and a VM is only
 * destroyed if it carries the agent's job marker, so a recovery that has lost part of the journal (a crash
 * between a side effect and its record) never pulls a device out from under Linux or destroys a stranger.
 */
public final class UndoExecutor {
    private final VSphere vsphere;
    private final GuestDisks guest;
    private final ReentrantLock reconfigLock;
    private final Duration releaseDeadline;

    public UndoExecutor(VSphere vsphere, GuestDisks guest, ReentrantLock reconfigLock, Duration releaseDeadline) {
        this.vsphere = vsphere;
        this.guest = guest;
        this.reconfigLock = reconfigLock;
        this.releaseDeadline = releaseDeadline;
    }

    public void run(Undo undo) {
        if (undo instanceof Undo.ReleaseGuestDevices r) {
            r.diskUuids().forEach(u -> guest.release(u, releaseDeadline));
        } else if (undo instanceof Undo.DetachFiles d) {
            detachFiles(new VmRef(d.proxyMoref()), Set.copyOf(d.files()));
        } else if (undo instanceof Undo.DestroyClone c) {
            destroyClone(c);
        } else if (undo instanceof Undo.RemoveSnapshot s) {
            removeSnapshot(new VmRef(s.vmMoref()), s.snapshotName());
        } else if (undo instanceof Undo.EnableMethods e) {
            enableMethods(e);
        } else if (undo instanceof Undo.EnableChangeTracking t) {
            enableChangeTracking(new VmRef(t.vmMoref()));
        } else if (undo instanceof Undo.DestroyRestoredVm d) {
            destroyRestoredVm(d);
        }
    }

    /** Deletes the guest's device of each of these disks still on the proxy, then detaches them. */
    public void detachFiles(VmRef proxy, Set<String> files) {
        reconfigLock.lock();
        try {
            List<DiskInfo> onProxy = vsphere.read(proxy).map(p -> p.disks().stream()
                    .filter(d -> files.contains(d.fileName())).toList()).orElse(List.of());
            if (onProxy.isEmpty()) {
                return;
            }
            onProxy.forEach(d -> guest.release(d.uuid(), releaseDeadline));
            vsphere.detachDisks(proxy, onProxy.stream().map(DiskInfo::key).toList());
        } finally {
            reconfigLock.unlock();
        }
    }

    private void destroyClone(Undo.DestroyClone c) {
        Optional<VmInfo> vm = c.moref() == null ? Optional.empty() : vsphere.read(new VmRef(c.moref()));
        if (vm.isEmpty()) {
            try {
                vm = Optional.of(vsphere.find(new VmSelector.ByName(c.name())));
            } catch (VSphereException.NotFound gone) {
                return;
            }
        }
        VmInfo found = vm.get();
        if (!found.name().equals(c.name()) || !found.extraConfig().containsKey(Names.MARK_JOB)) {
            throw new IllegalStateException("VM " + found.ref() + " named '" + found.name() + "' does not carry the "
                    + "agent's marker " + Names.MARK_JOB + " of clone '" + c.name() + "'; not destroying it. Check "
                    + "it in vCenter and remove the job's clone by hand if it still exists");
        }
        vsphere.destroy(found.ref());
    }

    /** By name: after a crash or an ambiguous failure the snapshot is found again, or is gone. */
    public void removeSnapshot(VmRef vm, String name) {
        Optional<VmInfo> now = vsphere.read(vm);
        if (now.isEmpty()) {
            return;
        }
        now.get().allSnapshots().stream().filter(s -> s.name().equals(name))
                .forEach(s -> vsphere.removeSnapshot(s.ref()));
        if (vsphere.read(vm).map(VmInfo::consolidationNeeded).orElse(false)) {
            vsphere.consolidateDisks(vm);
        }
    }

    private void enableMethods(Undo.EnableMethods e) {
        try {
            vsphere.enableMethods(new VmRef(e.vmMoref()), e.methods(), e.sourceId());
        } catch (VSphereException.NotFound gone) {
            // a VM that is gone has no methods left disabled (the port answers so; this is belt and braces)
        }
    }

    private void enableChangeTracking(VmRef vm) {
        if (vsphere.read(vm).isEmpty()) {
            return; // a VM that is gone tracks nothing
        }
        vsphere.setChangeTracking(vm, true);
    }

    /**
     * Found by name; destroyed only when it carries this restore job's marker. A VM of that name without it
     * is not the restore's (its creation never happened, and someone else uses the name): nothing to undo.
     */
    private void destroyRestoredVm(Undo.DestroyRestoredVm d) {
        VmInfo found;
        try {
            found = vsphere.find(new VmSelector.ByName(d.name()));
        } catch (VSphereException.NotFound gone) {
            return;
        }
        if (d.jobId().equals(found.extraConfig().get(Names.MARK_JOB))) {
            vsphere.destroy(found.ref());
        }
    }
}
