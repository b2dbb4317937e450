package io.hotadd.agent.engine;

import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.CleanupAction.Outcome;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.SnapshotInfo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.CrashRecovery.Busy;
import io.hotadd.agent.port.VmCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Finds in vCenter, without trusting the journal, what the agent's jobs may have left, and removes it in
 * the safe order: disks hot-added to the proxy (guest device deleted first, then detached), the agent's
 * linked clones, the agent's snapshots, and the methods the agent disabled. Objects of running jobs are
 * left alone. A later kind waits for an earlier one of the same job or VM: a snapshot stays while a clone
 * made from it could not be destroyed, and methods stay disabled while the VM keeps an agent snapshot.
 *
 * <p>What counts as the agent's: a disk on the proxy outside the proxy's own folder that is attached
 * independent-nonpersistent (how backups attach) or belongs to a VM carrying the agent's job marker; a VM
 * whose {@link Names#MARK_ROLE} is {@code linked-clone}; a snapshot named {@code hotadd-<job id>}; the methods
 * backups and restores disable, enabled with the agent's source id (which removes only the agent's entries).
 */
final class OrphanSweep {
    private final BackupWorkflow w;
    private final VmCatalog catalog;
    private final UnaryOperator<CleanupAction> report;

    OrphanSweep(BackupWorkflow w, VmCatalog catalog, UnaryOperator<CleanupAction> report) {
        this.w = w;
        this.catalog = catalog;
        this.report = report;
    }

    /** Running work is asked for after each read of vCenter, so what a job started meanwhile is never taken. */
    List<CleanupAction> run(Supplier<Busy> busyNow, boolean dryRun) {
        List<CleanupAction> out = new ArrayList<>();
        VmInfo proxy = w.proxy.get();
        List<VmInfo> vms = catalog.allVms();
        Busy busy = busyNow.get();
        Set<String> stuckJobs = new HashSet<>();
        out.addAll(proxyDisks(proxy, vms, busy, dryRun, stuckJobs));
        out.addAll(clones(vms, busy, dryRun, stuckJobs));
        Set<String> vmsWithSnapshot = new HashSet<>();
        List<VmInfo> afterClones = catalog.allVms();
        Busy busyAfter = busyNow.get();
        out.addAll(snapshots(afterClones, busyAfter, dryRun, stuckJobs, vmsWithSnapshot));
        out.addAll(disabledMethods(vms, busyAfter, dryRun, vmsWithSnapshot));
        return out;
    }

    private List<CleanupAction> proxyDisks(VmInfo proxy, List<VmInfo> vms, Busy busy, boolean dryRun,
                                           Set<String> stuckJobs) {
        Map<String, VmInfo> ownerOfFile = new HashMap<>();
        vms.stream().filter(vm -> !vm.ref().equals(proxy.ref()))
                .forEach(vm -> vm.disks().forEach(d -> ownerOfFile.put(d.fileName(), vm)));
        List<CleanupAction> out = new ArrayList<>();
        for (DiskInfo d : ProxyView.of(proxy).foreignDisks()) {
            VmInfo owner = ownerOfFile.get(d.fileName());
            String job = owner == null ? null : owner.extraConfig().get(Names.MARK_JOB);
            boolean agents = d.mode() == DiskMode.INDEPENDENT_NONPERSISTENT || job != null;
            if (!agents || (job != null && busy.jobIds().contains(job))
                    || (job == null && !busy.jobIds().isEmpty())) {
                continue; // not the agent's, or possibly a running job's: a sweep never guesses
            }
            CleanupAction a = action("detach-disks", job, proxy.ref().moref(), "delete the guest device of disk "
                    + d.fileName() + " (uuid " + d.uuid() + ") and detach it from proxy VM '" + proxy.name() + "'");
            out.add(act(a, dryRun, () -> w.undo.detachFiles(proxy.ref(), Set.of(d.fileName())), stuckJobs));
        }
        return out;
    }

    private List<CleanupAction> clones(List<VmInfo> vms, Busy busy, boolean dryRun, Set<String> stuckJobs) {
        List<CleanupAction> out = new ArrayList<>();
        for (VmInfo vm : vms) {
            String job = vm.extraConfig().get(Names.MARK_JOB);
            if (!"linked-clone".equals(vm.extraConfig().get(Names.MARK_ROLE)) || busy.jobIds().contains(job)) {
                continue;
            }
            CleanupAction a = action("destroy-clone", job, vm.ref().moref(), "destroy linked clone '" + vm.name()
                    + "' (" + vm.ref().moref() + ") of job " + job);
            if (stuckJobs.contains(job)) {
                out.add(report.apply(a.with(Outcome.SKIPPED, "a disk of the job is still on the proxy")));
                continue;
            }
            out.add(act(a, dryRun, () -> w.vsphere.destroy(vm.ref()), stuckJobs));
        }
        return out;
    }

    private List<CleanupAction> snapshots(List<VmInfo> vms, Busy busy, boolean dryRun, Set<String> stuckJobs,
                                          Set<String> vmsWithSnapshot) {
        List<CleanupAction> out = new ArrayList<>();
        for (VmInfo vm : vms) {
            for (SnapshotInfo s : vm.allSnapshots()) {
                String job = jobOfSnapshot(s.name());
                if (job == null || busy.jobIds().contains(job) || busy.vmMorefs().contains(vm.ref().moref())) {
                    continue;
                }
                CleanupAction a = action("remove-snapshot", job, vm.ref().moref(), "remove snapshot '" + s.name()
                        + "' of VM '" + vm.name() + "' (" + vm.ref().moref() + ") and consolidate");
                if (stuckJobs.contains(job)) {
                    vmsWithSnapshot.add(vm.ref().moref());
                    out.add(report.apply(a.with(Outcome.SKIPPED, "the job's linked clone or disks are still there")));
                    continue;
                }
                CleanupAction done = act(a, dryRun, () -> w.undo.removeSnapshot(vm.ref(), s.name()), stuckJobs);
                if (done.outcome() == Outcome.FAILED) {
                    vmsWithSnapshot.add(vm.ref().moref());
                }
                out.add(done);
            }
        }
        return out;
    }

    private List<CleanupAction> disabledMethods(List<VmInfo> vms, Busy busy, boolean dryRun, Set<String> withSnapshot) {
        List<String> ours = new ArrayList<>(w.settings.methodsToDisable());
        ours.add(RestoreWorkflow.POWER_ON_METHOD); // what a restore into an existing VM blocks too
        List<CleanupAction> out = new ArrayList<>();
        for (VmInfo vm : vms) {
            List<String> disabled = vm.disabledMethods().stream().filter(ours::contains).toList();
            if (disabled.isEmpty() || busy.vmMorefs().contains(vm.ref().moref())) {
                continue;
            }
            CleanupAction a = action("enable-methods", null, vm.ref().moref(), "re-enable " + disabled
                    + " disabled by source '" + w.settings.methodSourceId() + "' on VM '" + vm.name() + "' ("
                    + vm.ref().moref() + ")");
            if (withSnapshot.contains(vm.ref().moref())) {
                out.add(report.apply(a.with(Outcome.SKIPPED, "an agent snapshot of the VM could not be removed")));
                continue;
            }
            VmRef ref = vm.ref();
            out.add(act(a, dryRun, () -> w.vsphere.enableMethods(ref, ours, w.settings.methodSourceId()),
                    new HashSet<>()));
        }
        return out;
    }

    /** The job id of a snapshot the agent named ({@code hotadd-<job id>}), else null. */
    static String jobOfSnapshot(String name) {
        return name != null && name.startsWith(Names.PREFIX) && name.length() > Names.PREFIX.length()
                ? name.substring(Names.PREFIX.length()) : null;
    }

    private static CleanupAction action(String kind, String job, String vm, String detail) {
        return new CleanupAction("sweep", kind, job, vm, detail, Outcome.PLANNED, null);
    }

    private CleanupAction act(CleanupAction a, boolean dryRun, Runnable work, Set<String> stuckJobs) {
        if (dryRun) {
            return report.apply(a);
        }
        try {
            work.run();
            return report.apply(a.with(Outcome.DONE, null));
        } catch (RuntimeException e) {
            if (a.jobId() != null) {
                stuckJobs.add(a.jobId());
            }
            return report.apply(a.with(Outcome.FAILED, e.getMessage()));
        }
    }
}
