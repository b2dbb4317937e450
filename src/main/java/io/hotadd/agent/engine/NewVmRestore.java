package io.hotadd.agent.engine;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import io.hotadd.agent.engine.CheckedRestore.Placement;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import io.hotadd.agent.port.VmOperations.CreateVmSpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A restore to a new VM: CreateVM_Task from the captured configuration (new empty disks of the original
 * provisioning), the NVRAM uploaded, the disks hot-added and written, released and detached; then, only once
 * the VM is complete, change tracking as the source had it and power on if asked. A failure before that
 * destroys the VM once its disks have left the proxy; if it cannot be destroyed, the error names it.
 */
final class NewVmRestore {
    private final RestoreWorkflow w;
    private final RestoreRequest request;
    private final RestoreTarget.NewVm target;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;
    private final CleanupStack cleanup;
    private final CleanupStack vmCleanup;
    private final List<String> warnings = new ArrayList<>();
    private CheckedRestore checked;
    private VmConfigDocument config;
    private VmRef newVm;

    NewVmRestore(RestoreWorkflow w, RestoreRequest request, JobObserver observer, BooleanSupplier cancelled) {
        this.w = w;
        this.request = request;
        this.target = (RestoreTarget.NewVm) request.target();
        this.observer = observer;
        this.cancelled = cancelled;
        this.cleanup = w.newCleanup();
        this.vmCleanup = w.newCleanup();
    }

    RestoreResult execute() {
        observer.phase(JobPhase.PREFLIGHT);
        VmInfo proxyVm = w.proxy.get();
        ProxyView view = w.layout.ensure(proxyVm.ref());
        checked = w.checks(w.slotCapacity(view)).check(request, proxyVm.ref().moref());
        config = checked.config().orElseThrow();
        checked.warnings().forEach(this::warn);
        long written = 0;
        RuntimeException failure = null;
        try {
            createVm();
            uploadNvram();
            RestoreDisks disks = new RestoreDisks(w, observer, cleanup, request.jobId(), request.restorePointId());
            disks.attach(view, targets(), cancelled);
            written = disks.write(cancelled);
        } catch (RuntimeException e) {
            failure = e;
        }
        return finish(failure, written);
    }

    private void createVm() {
        checkCancelled();
        observer.phase(JobPhase.CREATING_VM);
        String name = target.name();
        vmCleanup.push(JobPhase.DESTROYING_VM, "destroy the partially restored VM '" + name + "'"
                + " (delete it in vCenter if it remains)", () -> destroyNewVm(name));
        Placement at = checked.placement().orElseThrow();
        newVm = w.vsphere.createVm(new CreateVmSpec(name, at.folder(), at.resourcePool(), at.host().orElse(null),
                at.datastoreName(), config.captured(), target.networkMap(), target.storagePolicyId(),
                Map.of(Names.MARK_JOB, request.jobId(), Names.MARK_ROLE, "restored-vm",
                        Names.MARK_RESTORE_POINT, request.restorePointId())));
    }

    /** By moref when known; else by name, and only a VM carrying this job's marker. Already gone: done. */
    private void destroyNewVm(String name) {
        VmRef ref = newVm;
        if (ref == null) {
            try {
                VmInfo found = w.vsphere.find(new VmSelector.ByName(name));
                if (!request.jobId().equals(found.extraConfig().get(Names.MARK_JOB))) {
                    return; // not ours: the creation never happened, and someone else uses the name
                }
                ref = found.ref();
            } catch (VSphereException.NotFound gone) {
                return;
            }
        }
        w.vsphere.destroy(ref);
    }

    private void uploadNvram() {
        Optional<VmConfigDocument.Nvram> nvram = config.nvram();
        if (nvram.isEmpty()) {
            return;
        }
        checkCancelled();
        observer.phase(JobPhase.UPLOADING_NVRAM);
        VmInfo vm = readNewVm();
        byte[] content = nvram.get().content();
        w.vsphere.upload(vm.datacenter(), nvramPath(vm.vmPathName()), new ByteArrayInputStream(content),
                content.length);
    }

    /** vSphere names a VM's NVRAM after its configuration file: {@code [ds] db/db.vmx} → {@code [ds] db/db.nvram}. */
    static String nvramPath(String vmPathName) {
        String base = vmPathName.endsWith(".vmx") ? vmPathName.substring(0, vmPathName.length() - 4) : vmPathName;
        return base + ".nvram";
    }

    /** The new VM's disk for each planned disk: same kind of controller, same bus, same unit as the source's. */
    private List<RestoreDisks.Target> targets() {
        VmInfo vm = readNewVm();
        VmConfigSummary summary = config.summary();
        List<RestoreDisks.Target> targets = new ArrayList<>();
        for (DiskPlan plan : checked.disks()) {
            VmConfigSummary.Disk source = summary.disk(plan.sourceKey()).orElseThrow();
            VmConfigSummary.Controller controller = summary.controller(source.controllerKey()).orElseThrow(
                    () -> new IllegalStateException("the captured configuration of '" + summary.name() + "' has no"
                            + " controller " + source.controllerKey() + " for disk '" + source.label() + "'"));
            DiskInfo disk = vm.disks().stream().filter(d -> d.unitNumber() == source.unitNumber()
                            && vm.controller(d.controllerKey()).map(c -> sameSlot(c, controller)).orElse(false))
                    .findFirst().orElseThrow(() -> new IllegalStateException("the restored VM '" + vm.name() + "' has"
                            + " no disk at " + controller.type() + " bus " + controller.busNumber() + " unit "
                            + source.unitNumber() + " for '" + source.label() + "'"));
            targets.add(new RestoreDisks.Target(plan, disk, true));
        }
        return targets;
    }

    private static boolean sameSlot(ControllerInfo c, VmConfigSummary.Controller wanted) {
        return c.type() == wanted.type() && c.busNumber() == wanted.busNumber();
    }

    private VmInfo readNewVm() {
        return w.vsphere.read(newVm).orElseThrow(() -> new VSphereException.NotFound("The restored VM '"
                + target.name() + "' (" + newVm + ") disappeared from vCenter while it was being restored; check"
                + " who removed it, then run the restore again.", "ManagedObjectNotFound", null, null));
    }

    private RestoreResult finish(RuntimeException failure, long written) {
        List<String> problems = cleanup.unwind(observer);
        if (failure == null && problems.isEmpty()) {
            return complete(written);
        }
        RuntimeException error = failure != null ? failure : new CleanupIncomplete("VM '" + target.name() + "' ("
                + newVm + ") was restored, but its disks could not all be released from the proxy; power it on only"
                + " after they are (the recovery sweep releases them).");
        List<String> all = new ArrayList<>(problems);
        if (failure != null && problems.isEmpty()) {
            all.addAll(vmCleanup.unwind(observer));
        } else if (failure != null) {
            all.add("did not destroy the partially restored VM '" + target.name() + "'" + (newVm == null ? ""
                    : " (" + newVm + ")") + " because its disks may still be attached to the proxy; delete it in"
                    + " vCenter once they are released");
        }
        all.forEach(p -> error.addSuppressed(new CleanupIncomplete(p)));
        throw error;
    }

    private RestoreResult complete(long written) {
        if (config.summary().changeTracking()) {
            observer.phase(JobPhase.ENABLING_CBT);
            bestEffort(() -> w.vsphere.setChangeTracking(newVm, true), "did not get change tracking back on");
        }
        if (target.powerOn()) {
            observer.phase(JobPhase.POWERING_ON);
            bestEffort(() -> w.vsphere.powerOn(newVm), "did not power on");
        }
        observer.phase(JobPhase.DONE);
        return new RestoreResult(Optional.of(newVm.moref()), target.name(), written, warnings);
    }

    /** After the data is in place the VM is complete; what fails now is reported, not undone. */
    private void bestEffort(Runnable step, String what) {
        try {
            step.run();
        } catch (RuntimeException e) {
            warn("VM '" + target.name() + "' (" + newVm + ") was restored but " + what + ": " + e.getMessage());
        }
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CopyCancelled("restore job " + request.jobId() + " was cancelled");
        }
    }

    private void warn(String message) {
        warnings.add(message);
        observer.warning(message);
    }
}
