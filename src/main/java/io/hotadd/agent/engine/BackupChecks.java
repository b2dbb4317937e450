package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.BackupPlanner.Plan;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-flight of one backup, shared by the real run and the dry run the job API does at submission: find
 * the VM, check it against the proxy, refuse while vCenter is busy with its snapshots, and plan each disk.
 * Reads only; never changes anything in vCenter or the repository.
 */
final class BackupChecks {
    private static final List<String> SNAPSHOT_BUSY = List.of("VirtualMachine.createSnapshot",
            "VirtualMachine.removeSnapshot", "VirtualMachine.removeAllSnapshots", "VirtualMachine.consolidateDisks",
            "VirtualMachineSnapshot.remove", "VirtualMachineSnapshot.revert");

    private final BackupWorkflow w;

    BackupChecks(BackupWorkflow w) {
        this.w = w;
    }

    /** @param slotCapacity how many disks the proxy can hold at once (with its spare controllers in place) */
    CheckedBackup check(BackupRequest request, ProxyView proxy, int slotCapacity) {
        VmInfo target = find(request);
        Preflight.Checked checked = new Preflight(w.vsphere, slotCapacity).check(target, proxy);
        List<String> busy = w.vsphere.activeTasks(target.ref()).stream().filter(SNAPSHOT_BUSY::contains).toList();
        if (!busy.isEmpty()) {
            throw new PreflightRefused("snapshot-busy", "VM '" + target.name() + "' has a snapshot operation running ("
                    + String.join(", ", busy) + "); retry the backup when it has finished.");
        }
        Plan plan = new BackupPlanner(w.repository).plan(target, checked.disks(), request.mode());
        List<String> warnings = new ArrayList<>(checked.warnings());
        warnings.addAll(plan.warnings());
        return new CheckedBackup(target, checked.disks(), plan, warnings);
    }

    private VmInfo find(BackupRequest request) {
        try {
            return w.vsphere.find(request.vm());
        } catch (VSphereException.NotFound e) {
            throw new VmNotFound(request.vm(), e);
        }
    }
}
