package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectUpdate;
import com.vmware.vim25.ObjectUpdateKind;
import com.vmware.vim25.PropertyChange;
import com.vmware.vim25.PropertyFilterUpdate;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.UpdateSet;
import io.hotadd.agent.port.VSphereException;

/**
 * Folds the changes WaitForUpdatesEx reports for a task's {@code info} into the latest {@link TaskInfo}.
 * vCenter reports either the whole {@code info} or, for some versions and filters, nested paths such as
 * {@code info.progress}; both are understood.
 */
final class TaskInfoUpdates {

    private TaskInfoUpdates() {
    }

    /** The task's info after {@code updates}; {@code current} if they say nothing about it. */
    static TaskInfo apply(TaskInfo current, UpdateSet updates, ManagedObjectReference filter,
                          ManagedObjectReference task) {
        TaskInfo info = current;
        if (updates == null || updates.filterSet == null) {
            return info;
        }
        for (PropertyFilterUpdate filterUpdate : updates.filterSet) {
            if (filterUpdate.filter == null || !filter.val.equals(filterUpdate.filter.val)
                    || filterUpdate.objectSet == null) {
                continue;
            }
            for (ObjectUpdate update : filterUpdate.objectSet) {
                if (update.obj != null && task.val.equals(update.obj.val)) {
                    info = applyObjectUpdate(info, update, task);
                }
            }
        }
        return info;
    }

    private static TaskInfo applyObjectUpdate(TaskInfo current, ObjectUpdate update, ManagedObjectReference task) {
        if (update.kind == ObjectUpdateKind.leave) {
            throw new VSphereException.NotFound("The vCenter task " + task.val + " disappeared while the agent"
                    + " waited for it (vCenter restarted, or the task aged out of its list), so its outcome is"
                    + " unknown. Check the object's state in vCenter; the step can be run again.",
                    "ManagedObjectNotFound", null, null);
        }
        TaskInfo info = current;
        if (update.changeSet == null) {
            return info;
        }
        for (PropertyChange change : update.changeSet) {
            if ("info".equals(change.name) && change.val instanceof TaskInfo whole) {
                info = whole;
            } else if (change.name != null && change.name.startsWith("info.")) {
                info = info == null ? new TaskInfo() : info;
                applyField(info, change.name.substring("info.".length()), change.val);
            }
        }
        return info;
    }

    private static void applyField(TaskInfo info, String field, Object value) {
        switch (field) {
            case "state" -> info.state = value instanceof TaskInfoState state ? state : info.state;
            case "progress" -> info.progress = value instanceof Integer percent ? percent : null;
            case "error" -> info.error = value instanceof LocalizedMethodFault fault ? fault : null;
            case "result" -> info.result = value;
            case "cancelled" -> info.cancelled = Boolean.TRUE.equals(value);
            default -> {
                // other fields (description, locks, times) do not change what the waiter does
            }
        }
    }
}
