package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VcenterActivity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory vCenter for {@link VcenterActivity}: tasks with their state, progress and description, events
 * per VM, custom attributes, managedBy and the registered extension; an administrator's cancel through
 * {@link #cancelInVcenter}; and calls that fail while {@link #refuse} names them.
 */
public final class FakeVcenterActivity implements VcenterActivity {

    /** One task as vCenter would show it. */
    public static final class Task {
        public final String id;
        public final VmRef vm;
        public final String typeId;
        public volatile String state = "queued";
        public volatile int progress;
        public volatile String description;
        public volatile String error;
        public volatile boolean cancelled;
        public final List<Integer> progressUpdates = new ArrayList<>();

        Task(String id, VmRef vm, String typeId) {
            this.id = id;
            this.vm = vm;
            this.typeId = typeId;
        }
    }

    public final Map<String, Task> tasks = new LinkedHashMap<>();
    public final Map<VmRef, List<String>> events = new LinkedHashMap<>();
    public final Map<VmRef, Map<String, String>> attributes = new LinkedHashMap<>();
    public final Map<VmRef, String> managedBy = new ConcurrentHashMap<>();
    public volatile ExtensionSpec extension;
    public final List<String> calls = new ArrayList<>();
    /** Methods (registerExtension, createTask, taskProgress, logEvent, ...) that throw while listed. */
    public final Set<String> refuse = ConcurrentHashMap.newKeySet();

    private synchronized void call(String method) {
        calls.add(method);
        if (refuse.contains(method)) {
            throw new io.hotadd.agent.port.VSphereException.NoPermission("the fake vCenter refuses " + method
                    + " (test)", "Task.Update", "NoPermission", null, null);
        }
    }

    @Override
    public synchronized void registerExtension(ExtensionSpec spec) {
        call("registerExtension");
        if (extension == null || !extension.version().equals(spec.version())) {
            extension = spec;
        }
    }

    @Override
    public synchronized void setManagedBy(VmRef vm, String extensionKey, String type) {
        call("setManagedBy");
        managedBy.put(vm, extensionKey + "/" + type);
    }

    @Override
    public synchronized String createTask(VmRef vm, String taskTypeId, String initiatedBy, boolean cancelable) {
        call("createTask");
        Task t = new Task("task-" + (tasks.size() + 1), vm, taskTypeId);
        tasks.put(t.id, t);
        return t.id;
    }

    @Override
    public synchronized void taskRunning(String task) {
        call("taskRunning");
        tasks.get(task).state = "running";
    }

    @Override
    public synchronized void taskProgress(String task, int percent, String description) {
        call("taskProgress");
        Task t = tasks.get(task);
        t.progress = percent;
        t.progressUpdates.add(percent);
        if (description != null) {
            t.description = description;
        }
    }

    @Override
    public synchronized void taskFinished(String task, String error) {
        call("taskFinished");
        Task t = tasks.get(task);
        t.state = error == null ? "success" : "error";
        t.error = error;
    }

    @Override
    public synchronized boolean taskCancelRequested(String task) {
        call("taskCancelRequested");
        return tasks.get(task).cancelled;
    }

    @Override
    public synchronized void logEvent(VmRef vm, String message) {
        call("logEvent");
        events.computeIfAbsent(vm, v -> new ArrayList<>()).add(message);
    }

    @Override
    public synchronized void setCustomValue(VmRef vm, String field, String value) {
        call("setCustomValue");
        attributes.computeIfAbsent(vm, v -> new LinkedHashMap<>()).put(field, value);
    }

    /** What an administrator's "Cancel" in the vSphere Client does to a task. */
    public synchronized void cancelInVcenter(String task) {
        tasks.get(task).cancelled = true;
    }

    public synchronized List<Task> tasksOn(VmRef vm) {
        return tasks.values().stream().filter(t -> t.vm.equals(vm)).toList();
    }

    public synchronized List<String> eventsOn(VmRef vm) {
        return List.copyOf(events.getOrDefault(vm, List.of()));
    }

    public synchronized Map<String, String> attributesOn(VmRef vm) {
        return Map.copyOf(attributes.getOrDefault(vm, Map.of()));
    }
}
