package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
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
    private final BackupWorkflow w;
    private final BackupRequest request;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;
    private final List<String> warnings = new ArrayList<>();
    private JobUndoLog cleanup;
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
        CheckedBackup checked = new BackupChecks(w).check(request, view, w.slotCapacity(view));
        target = checked.target();
        cleanup = w.newUndoLog(request.jobId(), target.ref().moref());
        plan = checked.plan();
        warnings.addAll(checked.warnings());
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
        cleanup.push(JobPhase.ENABLING_METHODS, new Undo.EnableMethods(vm.moref(), w.settings.methodsToDisable(),
                w.settings.methodSourceId()));
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
        cleanup.push(JobPhase.REMOVING_SNAPSHOT, new Undo.RemoveSnapshot(vm.moref(), name));
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

    private void makeClone() {
        observer.phase(JobPhase.CLONING);
        String name = Names.clone(request.jobId(), target.name());
        cleanup.pushRefined(JobPhase.DESTROYING_CLONE, new Undo.DestroyClone(name, null),
                () -> new Undo.DestroyClone(name, clone == null ? null : clone.moref()));
        clone = w.vsphere.createLinkedClone(target.ref(), snapshot, new CloneSpec(name, target.folder(),
                target.resourcePool(), Names.cloneAnnotation(request.jobId(), target.name(), w.settings.agentName()),
                Map.of(Names.MARK_JOB, request.jobId(), Names.MARK_ROLE, "linked-clone",
                        Names.MARK_SOURCE, target.ref().moref())));
    }

    private BackupResult finish(RestorePointWriter writer, long bytesRead, RuntimeException failure) {
        List<String> problems = cleanup == null ? List.of() : cleanup.unwind(observer);
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
