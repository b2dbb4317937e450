package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.CustomFieldDef;
import com.vmware.vim25.Extension;
import com.vmware.vim25.LocalizableMessage;
import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedByInfo;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.SystemError;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.VirtualMachineConfigSpec;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VcenterActivity;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link VcenterActivity}: the agent's extension, its own vCenter tasks, events and a custom attribute, so a
 * vSphere administrator sees in the vSphere Client what the agent does to which VM.
 */
final class YavijavaActivity implements VcenterActivity {

    /** Key of the task description message; vCenter shows the message text when it has no catalog entry. */
    static final String PROGRESS_MESSAGE_KEY = "io.hotadd.agent.task.progress";

    private final VSphereSession session;
    private final PropertyReader properties;
    private final TaskWaiter tasks;
    private final TaskDeadlines deadlines;
    private final Clock wallClock;
    private final Map<String, Integer> customFieldKeys = new ConcurrentHashMap<>();

    YavijavaActivity(VSphereSession session, PropertyReader properties, TaskWaiter tasks, TaskDeadlines deadlines,
                     Clock wallClock) {
        this.session = session;
        this.properties = properties;
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.wallClock = wallClock;
    }

    @Override
    public void registerExtension(ExtensionSpec spec) {
        Extension wanted = ExtensionDescriptor.of(spec, wallClock.instant());
        Extension registered = session.call("look up the extension '" + spec.key() + "'", "ExtensionManager",
                (vim, content) -> vim.findExtension(content.extensionManager, spec.key()));
        if (registered == null) {
            session.call("register the extension '" + spec.key() + "' " + spec.version(), "ExtensionManager",
                    (vim, content) -> {
                        vim.registerExtension(content.extensionManager, wanted);
                        return null;
                    });
        } else if (!spec.version().equals(registered.version)) {
            session.call("update the extension '" + spec.key() + "' from " + registered.version + " to "
                    + spec.version(), "ExtensionManager", (vim, content) -> {
                        vim.updateExtension(content.extensionManager, wanted);
                        return null;
                    });
        }
    }

    @Override
    public void setManagedBy(VmRef vm, String extensionKey, String type) {
        ManagedByInfo managedBy = new ManagedByInfo();
        managedBy.extensionKey = extensionKey;
        managedBy.type = type;
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.managedBy = managedBy;
        ManagedObjectReference mor = vmMor(vm);
        tasks.run(new TaskWaiter.TaskRun("mark the VM as managed by '" + extensionKey + "'", FaultTranslator.ref(mor),
                deadlines.reconfigure()), (vim, content) -> vim.reconfigVM_Task(mor, spec));
    }

    @Override
    public String createTask(VmRef vm, String taskTypeId, String initiatedBy, boolean cancelable) {
        ManagedObjectReference mor = vmMor(vm);
        TaskInfo info = session.call("create a vCenter task of type '" + taskTypeId + "'", FaultTranslator.ref(mor),
                (vim, content) -> vim.createTask(content.taskManager, mor, taskTypeId, initiatedBy, cancelable,
                        null, null));
        return info.task.val;
    }

    @Override
    public void taskRunning(String task) {
        setState(task, TaskInfoState.running, null, "mark the task as running");
    }

    @Override
    public void taskProgress(String task, int percent, String description) {
        ManagedObjectReference mor = taskMor(task);
        session.call("report " + percent + "% progress", FaultTranslator.ref(mor), (vim, content) -> {
            vim.updateProgress(mor, Math.max(0, Math.min(100, percent)));
            return null;
        });
        if (description != null) {
            LocalizableMessage message = new LocalizableMessage();
            message.key = PROGRESS_MESSAGE_KEY;
            message.message = description;
            session.call("describe the task's progress", FaultTranslator.ref(mor), (vim, content) -> {
                vim.setTaskDescription(mor, message);
                return null;
            });
        }
    }

    @Override
    public void taskFinished(String task, String error) {
        if (error == null) {
            setState(task, TaskInfoState.success, null, "mark the task as succeeded");
            return;
        }
        // SystemError carries free text; the vSphere Client shows localizedMessage in the task's status
        SystemError reason = new SystemError();
        reason.reason = error;
        LocalizedMethodFault fault = new LocalizedMethodFault();
        fault.fault = reason;
        fault.localizedMessage = error;
        setState(task, TaskInfoState.error, fault, "mark the task as failed");
    }

    @Override
    public boolean taskCancelRequested(String task) {
        return properties.retrieveOne("read whether task " + task + " was cancelled", taskMor(task), "info.cancelled")
                .flag("info.cancelled");
    }

    @Override
    public void logEvent(VmRef vm, String message) {
        ManagedObjectReference mor = vmMor(vm);
        session.call("log an event", FaultTranslator.ref(mor), (vim, content) -> {
            vim.logUserEvent(content.eventManager, mor, message);
            return null;
        });
    }

    @Override
    public void setCustomValue(VmRef vm, String field, String value) {
        ManagedObjectReference mor = vmMor(vm);
        int key = customFieldKeys.computeIfAbsent(field, this::defineCustomField);
        session.call("set the custom attribute '" + field + "'", FaultTranslator.ref(mor), (vim, content) -> {
            vim.setField(content.customFieldsManager, mor, key, value);
            return null;
        });
    }

    /** Defines the attribute for VMs; one that exists already (DuplicateName) is looked up instead. */
    private int defineCustomField(String field) {
        try {
            CustomFieldDef def = session.call("define the custom attribute '" + field + "' for VMs",
                    "CustomFieldsManager", (vim, content) -> vim.addCustomFieldDef(content.customFieldsManager,
                            field, "VirtualMachine", null, null));
            return def.key;
        } catch (VSphereException.Fault fault) {
            if (!"DuplicateName".equals(fault.faultType())) {
                throw fault;
            }
            return existingCustomField(field, fault);
        }
    }

    private int existingCustomField(String field, VSphereException duplicate) {
        ManagedObjectReference manager = session.serviceContent().customFieldsManager;
        return properties.retrieveOne("read the custom attribute definitions", manager, "field")
                .array("field", CustomFieldDef.class).stream()
                .filter(def -> field.equals(def.name))
                .filter(def -> def.managedObjectType == null || "VirtualMachine".equals(def.managedObjectType))
                .mapToInt(def -> def.key)
                .findFirst()
                .orElseThrow(() -> new VSphereException.Fault("vCenter says the custom attribute '" + field
                        + "' exists but it is not defined for VMs (it belongs to another object type). Rename or"
                        + " remove that attribute in vCenter (Tags & Custom Attributes).", "DuplicateName",
                        duplicate.vCenterMessage().orElse(null), false, duplicate));
    }

    private void setState(String task, TaskInfoState state, LocalizedMethodFault fault, String action) {
        ManagedObjectReference mor = taskMor(task);
        session.call(action, FaultTranslator.ref(mor), (vim, content) -> {
            vim.setTaskState(mor, state, null, fault);
            return null;
        });
    }

    private static ManagedObjectReference vmMor(VmRef vm) {
        return VSphereSession.mor("VirtualMachine", vm.moref());
    }

    private static ManagedObjectReference taskMor(String task) {
        return VSphereSession.mor("Task", task);
    }
}
