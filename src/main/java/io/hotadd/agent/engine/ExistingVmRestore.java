package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A restore over disks of an existing, powered-off VM: power-on (and Storage vMotion) blocked on it while its
 * disks are written, change tracking off for the write and back on afterwards (VDDK: disable CBT during a full
 * restore; the next backup then starts from a new tracking id), the named disks hot-added persistent and
 * overwritten (what the backup held as holes cleared to zeros). Undone in the same order after a failure: the
 * VM keeps whatever was written, which a second run overwrites in full.
 */
final class ExistingVmRestore {
    private final RestoreWorkflow w;
    private final RestoreRequest request;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;
    private JobUndoLog cleanup;
    private final List<String> warnings = new ArrayList<>();
    private VmInfo vm;

    ExistingVmRestore(RestoreWorkflow w, RestoreRequest request, JobObserver observer, BooleanSupplier cancelled) {
        this.w = w;
        this.request = request;
        this.observer = observer;
        this.cancelled = cancelled;
    }

    RestoreResult execute() {
        observer.phase(JobPhase.PREFLIGHT);
        VmInfo proxyVm = w.proxy.get();
        ProxyView view = w.layout.ensure(proxyVm.ref());
        CheckedRestore checked = w.checks(w.slotCapacity(view)).check(request, proxyVm.ref().moref());
        vm = checked.existing().orElseThrow();
        cleanup = w.newUndoLog(request.jobId(), vm.ref().moref());
        long written = 0;
        RuntimeException failure = null;
        try {
            lockTarget();
            RestoreDisks disks = new RestoreDisks(w, observer, cleanup, request.jobId(), request.restorePointId());
            disks.attach(view, targets(checked.disks()), cancelled);
            written = disks.write(cancelled);
        } catch (RuntimeException e) {
            failure = e;
        }
        return finish(failure, written);
    }

    /** Nobody powers the VM on or moves it meanwhile, and CBT does not track the restore's writes. */
    private void lockTarget() {
        VmRef ref = vm.ref();
        List<String> methods = new ArrayList<>(w.settings.methodsToDisable());
        methods.add(RestoreWorkflow.POWER_ON_METHOD);
        observer.phase(JobPhase.DISABLING_METHODS);
        cleanup.push(JobPhase.ENABLING_METHODS, new Undo.EnableMethods(ref.moref(), methods,
                w.settings.methodSourceId()));
        w.vsphere.disableMethods(ref, methods, w.settings.methodSourceId());
        if (vm.changeTracking()) {
            checkCancelled();
            observer.phase(JobPhase.DISABLING_CBT);
            cleanup.push(JobPhase.ENABLING_CBT, new Undo.EnableChangeTracking(ref.moref()));
            w.vsphere.setChangeTracking(ref, false);
        }
        checkCancelled();
    }

    private List<RestoreDisks.Target> targets(List<DiskPlan> plans) {
        List<RestoreDisks.Target> targets = new ArrayList<>();
        for (DiskPlan plan : plans) {
            DiskInfo disk = vm.disk(plan.targetKey().orElseThrow()).orElseThrow();
            targets.add(new RestoreDisks.Target(plan, disk, false));
        }
        return targets;
    }

    private RestoreResult finish(RuntimeException failure, long written) {
        List<String> problems = cleanup.unwind(observer);
        if (failure != null) {
            problems.forEach(p -> failure.addSuppressed(new CleanupIncomplete(p)));
            throw failure;
        }
        if (!problems.isEmpty()) {
            CleanupIncomplete error = new CleanupIncomplete("The disks of VM '" + vm.name() + "' (" + vm.ref() + ") were"
                    + " restored, but the cleanup is incomplete; power it on only after it is done (the recovery"
                    + " sweep will finish it).");
            problems.forEach(p -> error.addSuppressed(new CleanupIncomplete(p)));
            throw error;
        }
        observer.phase(JobPhase.DONE);
        return new RestoreResult(Optional.of(vm.ref().moref()), vm.name(), written, warnings);
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new CopyCancelled("restore job " + request.jobId() + " was cancelled");
        }
    }
}
