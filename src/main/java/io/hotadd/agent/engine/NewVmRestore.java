package io.hotadd.agent.engine;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
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
 * destroys the VM once its disks have left the proxy; if it cannot be destroyed, the error names it. Every
 * side effect is journaled first, so a crash leaves recovery at start the same work.
 */
final class NewVmRestore {
    private final RestoreWorkflow w;
    private final RestoreRequest request;
    private final RestoreTarget.NewVm target;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;
    private JobUndoLog cleanup;
    private JobUndoLog.Entry vmCreated;
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
    }

    RestoreResult execute() {
        observer.phase(JobPhase.PREFLIGHT);
        VmInfo proxyVm = w.proxy.get();
        ProxyView view = w.layout.ensure(proxyVm.ref());
        checked = w.checks(w.slotCapacity(view)).check(request, proxyVm.ref().moref());
        config = checked.config().orElseThrow();
        checked.warnings().forEach(this::warn);
        cleanup = w.newUndoLog(request.jobId(), null); // no VM yet: the undos name it
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
        vmCreated = cleanup.push(JobPhase.DESTROYING_VM, new Undo.DestroyRestoredVm(name, request.jobId()));
        Placement at = checked.placement().orElseThrow();
        newVm = w.vsphere.createVm(new CreateVmSpec(name, at.folder(), at.resourcePool(), at.host().orElse(null),
                at.datastoreName(), config.captured(), target.networkMap(), target.storagePolicyId(),
                Map.of(Names.MARK_JOB, request.jobId(), Names.MARK_ROLE, "restored-vm",
                        Names.MARK_RESTORE_POINT, request.restorePointId())));
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

    /**
     * Once every disk is written the VM is complete and stays, whatever the cleanup meets: its destroy undo is
     * dismissed (journaled as moot) before the disks leave the proxy. A failure before that unwinds everything,
     * newest first: devices, disks, then the VM, which is not destroyed while its disks may still be attached.
     */
    private RestoreResult finish(RuntimeException failure, long written) {
        if (failure == null) {
            cleanup.dismiss(vmCreated);
        }
        List<String> problems = new ArrayList<>(cleanup.unwind(observer));
        if (failure == null && problems.isEmpty()) {
            return complete(written);
        }
        RuntimeException error = failure != null ? failure : new CleanupIncomplete("VM '" + target.name() + "' ("
                + newVm + ") was restored, but its disks could not all be released from the proxy; power it on only"
                + " after they are (recovery at the next start or POST /api/v1/proxy/cleanup releases them).");
        if (failure != null && !problems.isEmpty()) {
            problems.add("the partially restored VM '" + target.name() + "'" + (newVm == null ? "" : " (" + newVm
                    + ")") + " may remain: delete it in vCenter if recovery at the next start or POST"
                    + " /api/v1/proxy/cleanup does not");
        }
        problems.forEach(p -> error.addSuppressed(new CleanupIncomplete(p)));
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
