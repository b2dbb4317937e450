package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.BackupPlanner.Plan;
import io.hotadd.agent.port.BackupRepository.NewRestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointWriter;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations.CloneSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/** One execution of {@link BackupWorkflow}: the steps in order, each pushing its undo before acting. */
final class BackupRun {
    private static final List<String> SNAPSHOT_BUSY = List.of("VirtualMachine.createSnapshot",
            "VirtualMachine.removeSnapshot", "VirtualMachine.removeAllSnapshots", "VirtualMachine.consolidateDisks",
            "VirtualMachineSnapshot.remove", "VirtualMachineSnapshot.revert");

    private final BackupWorkflow w;
    private final BackupRequest request;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;
    private final List<String> warnings = new ArrayList<>();
    private final CleanupStack cleanup;
    private VmInfo proxyVm;
    private VmInfo target;
    private Plan plan;
    private SnapshotRef snapshot;
    private Optional<byte[]> vmConfig = Optional.empty();
    private VmRef clone;

    BackupRun(BackupWorkflow w, BackupRequest request, JobObserver observer, BooleanSupplier cancelled) {
        this.w = w;
        this.request = request;
        this.observer = observer;
        this.cancelled = cancelled;
        this.cleanup = w.newCleanup();
    }

    BackupResult execute() {
        observer.phase(JobPhase.PREFLIGHT);
        ProxyView view = preflight();
        RestorePointWriter writer = null;
        long bytesRead = 0;
        RuntimeException failure = null;
        try {
            prepareTarget();
            view = w.layout.ensure(proxyVm.ref());
            HotAddedDisks disks = new HotAddedDisks(w, observer, cleanup, request.jobId());
            disks.attach(view, clone, plan.disks(), cancelled);
            writer = w.repository.begin(new NewRestorePoint(target.instanceUuid(), target.name(), request.jobId(),
                    plan.parent().map(RestorePoint::id), w.clock.instant()));
            vmConfig.ifPresent(writer::vmConfig);
            bytesRead = disks.read(target, snapshot, writer, warnings, cancelled);
        } catch (RuntimeException e) {
            failure = e;
        }
        return finish(writer, bytesRead, failure);
    }

    private ProxyView preflight() {
        proxyVm = w.proxy.get();
        ProxyView view = w.layout.ensure(proxyVm.ref());
        target = w.vsphere.find(request.vm());
        Preflight.Checked checked = new Preflight(w.vsphere, w.slotCapacity(view)).check(target, view);
        List<String> busy = w.vsphere.activeTasks(target.ref()).stream().filter(SNAPSHOT_BUSY::contains).toList();
        if (!busy.isEmpty()) {
            throw new PreflightRefused("snapshot-busy", "VM '" + target.name() + "' has a snapshot operation running ("
                    + String.join(", ", busy) + "); retry the backup when it has finished.");
        }
        plan = new BackupPlanner(w.repository).plan(target, checked.disks(), request.mode());
        warnings.addAll(checked.warnings());
        warnings.addAll(plan.warnings());
        warnings.forEach(observer::warning);
        return view;
    }

    private void prepareTarget() {
        checkCancelled();
        if (!target.changeTracking()) {
            observer.phase(JobPhase.ENABLING_CBT);
            w.vsphere.setChangeTracking(target.ref(), true);
        }
        observer.phase(JobPhase.DISABLING_METHODS);
        VmRef vm = target.ref();
        cleanup.push(JobPhase.ENABLING_METHODS, "re-enable " + w.settings.methodsToDisable() + " on " + target.name(),
                () -> w.vsphere.enableMethods(vm, w.settings.methodsToDisable(), w.settings.methodSourceId()));
        w.vsphere.disableMethods(vm, w.settings.methodsToDisable(), w.settings.methodSourceId());
        checkCancelled();
        takeSnapshot();
        vmConfig = new ConfigCapture(w.vsphere, w.clock).capture(target, snapshot, this::warn);
        checkCancelled();
        makeClone();
    }

    private void takeSnapshot() {
        observer.phase(JobPhase.SNAPSHOTTING);
        String name = Names.snapshot(request.jobId());
        VmRef vm = target.ref();
        cleanup.push(JobPhase.REMOVING_SNAPSHOT, "remove snapshot '" + name + "' of " + target.name(),
                () -> removeSnapshot(vm, name));
        String description = Names.snapshotDescription(request.jobId(), w.settings.agentName(), proxyVm.name());
        try {
            snapshot = w.vsphere.createSnapshot(vm, name, description, request.quiesce());
        } catch (VSphereException.Fault | VSphereException.InvalidState e) {
            if (!request.quiesce()) {
                throw e;
            }
            warn("a quiesced snapshot of VM '" + target.name() + "' failed (" + e.getMessage()
                    + "); the backup continues with a crash-consistent snapshot");
            snapshot = w.vsphere.createSnapshot(vm, name, description, false);
        }
    }

    /** Idempotent by name: after a crash or an ambiguous failure the snapshot is found again, or is gone. */
    private void removeSnapshot(VmRef vm, String name) {
        Optional<VmInfo> now = w.vsphere.read(vm);
        if (now.isEmpty()) {
            return;
        }
        now.get().allSnapshots().stream().filter(s -> s.name().equals(name))
                .forEach(s -> w.vsphere.removeSnapshot(s.ref()));
        if (w.vsphere.read(vm).map(VmInfo::consolidationNeeded).orElse(false)) {
            w.vsphere.consolidateDisks(vm);
        }
    }

    private void makeClone() {
        observer.phase(JobPhase.CLONING);
        String name = Names.clone(request.jobId(), target.name());
        cleanup.push(JobPhase.DESTROYING_CLONE, "destroy linked clone '" + name + "'", () -> destroyClone(name));
        clone = w.vsphere.createLinkedClone(target.ref(), snapshot, new CloneSpec(name, target.folder(),
                target.resourcePool(), Names.cloneAnnotation(request.jobId(), target.name(), w.settings.agentName()),
                Map.of(Names.MARK_JOB, request.jobId(), Names.MARK_ROLE, "linked-clone",
                        Names.MARK_SOURCE, target.ref().moref())));
    }

    private void destroyClone(String name) {
        VmRef ref = clone;
        if (ref == null) {
            try {
                ref = w.vsphere.find(new VmSelector.ByName(name)).ref();
            } catch (VSphereException.NotFound gone) {
                return;
            }
        }
        w.vsphere.destroy(ref);
    }

    private BackupResult finish(RestorePointWriter writer, long bytesRead, RuntimeException failure) {
        List<String> problems = cleanup.unwind(observer);
        problems.forEach(this::warn);
        if (failure != null) {
            if (writer != null) {
                writer.abort();
            }
            problems.forEach(p -> failure.addSuppressed(new CleanupIncomplete(p)));
            throw failure;
        }
        observer.phase(JobPhase.COMMITTING);
        RestorePoint rp = writer.commit();
        observer.phase(JobPhase.DONE);
        return new BackupResult(rp.id(), bytesRead, plan.full(), warnings);
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CopyCancelled("backup job " + request.jobId() + " was cancelled");
        }
    }

    private void warn(String message) {
        warnings.add(message);
        observer.warning(message);
    }
}
