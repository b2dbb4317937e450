package io.hotadd.agent.boot;

import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VcenterActivity;
import java.util.function.Supplier;

/**
 * The {@link VcenterActivity} of the agent's vCenter gateway, looked up on every call: the session is opened
 * on first use and may not exist yet (vCenter down at start), and each call then tries again.
 */
final class LazyVcenterActivity implements VcenterActivity {
    private final Supplier<VSphere> gateway;

    LazyVcenterActivity(Supplier<VSphere> gateway) {
        this.gateway = gateway;
    }

    private VcenterActivity activity() {
        VSphere g = gateway.get();
        if (g instanceof VcenterActivity a) {
            return a;
        }
        throw new IllegalStateException("the vCenter gateway " + g.getClass().getSimpleName()
                + " cannot create tasks or events");
    }

    @Override
    public void registerExtension(ExtensionSpec extension) {
        activity().registerExtension(extension);
    }

    @Override
    public void setManagedBy(VmRef vm, String extensionKey, String type) {
        activity().setManagedBy(vm, extensionKey, type);
    }

    @Override
    public String createTask(VmRef vm, String taskTypeId, String initiatedBy, boolean cancelable) {
        return activity().createTask(vm, taskTypeId, initiatedBy, cancelable);
    }

    @Override
    public void taskRunning(String task) {
        activity().taskRunning(task);
    }

    @Override
    public void taskProgress(String task, int percent, String description) {
        activity().taskProgress(task, percent, description);
    }

    @Override
    public void taskFinished(String task, String error) {
        activity().taskFinished(task, error);
    }

    @Override
    public boolean taskCancelRequested(String task) {
        return activity().taskCancelRequested(task);
    }

    @Override
    public void logEvent(VmRef vm, String message) {
        activity().logEvent(vm, message);
    }

    @Override
    public void setCustomValue(VmRef vm, String field, String value) {
        activity().setCustomValue(vm, field, value);
    }
}
