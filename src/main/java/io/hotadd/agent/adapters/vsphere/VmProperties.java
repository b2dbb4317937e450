package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.SelectionSpec;
import com.vmware.vim25.TraversalSpec;

/**
 * The one PropertyCollector question behind {@code VmInfo}: exactly the VM properties the agent uses, plus
 * the name of the VM's datacenter, reached in the same call by walking up the parent chain.
 */
final class VmProperties {

    /** What the agent reads of a VM; {@code config.keyId} by its own path because yavijava's model lacks it. */
    static final String[] PATHS = {"name", "config.uuid", "config.instanceUuid", "config.hardware.device",
        "config.changeTrackingEnabled", "config.version", "config.extraConfig", "config.keyId", "config.template",
        "config.files.vmPathName", "runtime.powerState", "runtime.host", "runtime.consolidationNeeded",
        "snapshot", "disabledMethod", "datastore", "resourcePool", "parent"};

    private VmProperties() {
    }

    /**
     * The VM's properties, its datacenter and the folders above that (for the datacenter's inventory path),
     * in one call. Walk: VM.parent, Folder.parent up to the Datacenter, then Datacenter.parent and
     * Folder.parent up to the root folder. VMs in a vApp have no parent folder: VirtualApp.parentFolder (or
     * the parent vApp) leads there instead.
     */
    static PropertyFilterSpec vmWithDatacenter(ManagedObjectReference vm) {
        SelectionSpec folderUp = selection("folderUp");
        SelectionSpec datacenterUp = selection("datacenterUp");
        SelectionSpec vAppFolder = selection("vAppFolder");
        SelectionSpec vAppUp = selection("vAppUp");
        TraversalSpec[] traversals = {
            traversal("vmParent", "VirtualMachine", "parent", folderUp),
            traversal("vmParentVApp", "VirtualMachine", "parentVApp", vAppFolder, vAppUp),
            traversal("folderUp", "Folder", "parent", folderUp, datacenterUp),
            traversal("datacenterUp", "Datacenter", "parent", folderUp),
            traversal("vAppFolder", "VirtualApp", "parentFolder", folderUp),
            traversal("vAppUp", "VirtualApp", "parentVApp", vAppFolder, vAppUp),
        };
        return PropertyReader.filter(PropertyReader.objectSpec(vm, traversals),
                PropertyReader.propertySpec("VirtualMachine", PATHS),
                PropertyReader.propertySpec("Datacenter", "name", "parent"),
                PropertyReader.propertySpec("Folder", "name", "parent"));
    }

    /**
     * The tasks in the recent-task lists of the VM and of the TaskManager, with the fields that tell whether
     * one is active on the VM. The VM's own list is the precise one on vCenter; the TaskManager's is read too
     * because some servers (govmomi's simulator among them) keep only that one, and it costs one more list in
     * the same call, not another call.
     */
    static PropertyFilterSpec recentTasks(ManagedObjectReference vm, ManagedObjectReference taskManager) {
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.objectSet = new ObjectSpec[] {
            skipped(PropertyReader.objectSpec(vm, traversal("vmTasks", "VirtualMachine", "recentTask"))),
            skipped(PropertyReader.objectSpec(taskManager, traversal("allTasks", "TaskManager", "recentTask")))};
        spec.propSet = new PropertySpec[] {
            PropertyReader.propertySpec("Task", "info.entity", "info.descriptionId", "info.state")};
        return spec;
    }

    private static ObjectSpec skipped(ObjectSpec spec) {
        spec.skip = true; // the lists' owners are only the way to the tasks
        return spec;
    }

    private static TraversalSpec traversal(String name, String type, String path, SelectionSpec... next) {
        TraversalSpec spec = new TraversalSpec();
        spec.name = name;
        spec.type = type;
        spec.path = path;
        spec.skip = false;
        spec.selectSet = next;
        return spec;
    }

    private static SelectionSpec selection(String name) {
        SelectionSpec spec = new SelectionSpec();
        spec.name = name;
        return spec;
    }
}
