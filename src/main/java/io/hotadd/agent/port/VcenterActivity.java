package io.hotadd.agent.port;

import io.hotadd.agent.domain.VmRef;
import java.util.List;
import java.util.Map;

/**
 * Making the agent's work visible to vSphere administrators: its extension, one vCenter task per job,
 * events on the VMs it touches, a custom attribute with the last backup.
 */
public interface VcenterActivity {

    /**
     * Registers the agent's extension, or updates it when the registered version differs (after an upgrade).
     * Idempotent.
     */
    void registerExtension(ExtensionSpec extension);

    /** Marks a VM (the appliance) as managed by the extension, so the vSphere Client shows who owns it. */
    void setManagedBy(VmRef vm, String extensionKey, String type);

    /** TaskManager.CreateTask on the VM; answers the task's moref. */
    String createTask(VmRef vm, String taskTypeId, String initiatedBy, boolean cancelable);

    void taskRunning(String task);

    void taskProgress(String task, int percent, String description);

    /** Ends the task: success when {@code error} is null, otherwise error with that message. */
    void taskFinished(String task, String error);

    /** Whether an administrator asked vCenter to cancel the task. */
    boolean taskCancelRequested(String task);

    /** EventManager.LogUserEvent on the entity. */
    void logEvent(VmRef vm, String message);

    /** Sets a VM custom attribute, defining it for VirtualMachine first if it does not exist. */
    void setCustomValue(VmRef vm, String field, String value);

    /**
     * What to register: key, version, description, the task and event types with their labels
     * ({@code <id>.label} resources), and the types of entity the extension manages (managedBy type →
     * description the vSphere Client shows on such an entity).
     */
    record ExtensionSpec(String key, String version, String company, String label, String summary,
                         List<String> taskTypeIds, List<String> eventTypeIds, Map<String, String> labels,
                         Map<String, String> managedEntityTypes) {
        public ExtensionSpec {
            taskTypeIds = List.copyOf(taskTypeIds);
            eventTypeIds = List.copyOf(eventTypeIds);
            labels = Map.copyOf(labels);
            managedEntityTypes = Map.copyOf(managedEntityTypes);
        }

        public ExtensionSpec(String key, String version, String company, String label, String summary,
                             List<String> taskTypeIds, List<String> eventTypeIds, Map<String, String> labels) {
            this(key, version, company, label, summary, taskTypeIds, eventTypeIds, labels, Map.of());
        }
    }
}
