package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.PropertyFilterSpec;
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
     * The VM's properties and its datacenter's name. Folder chain: VM.parent, then Folder.parent up to the
     * Datacenter. VMs in a vApp have no parent folder: VirtualApp.parentFolder (or the parent vApp) leads
     * there instead.
     */
    static PropertyFilterSpec vmWithDatacenter(ManagedObjectReference vm) {
        SelectionSpec folderUp = selection("folderUp");
        SelectionSpec vAppFolder = selection("vAppFolder");
        SelectionSpec vAppUp = selection("vAppUp");
        TraversalSpec[] traversals = {
            traversal("vmParent", "VirtualMachine", "parent", folderUp),
            traversal("vmParentVApp", "VirtualMachine", "parentVApp", vAppFolder, vAppUp),
            traversal("folderUp", "Folder", "parent", folderUp),
            traversal("vAppFolder", "VirtualApp", "parentFolder", folderUp),
            traversal("vAppUp", "VirtualApp", "parentVApp", vAppFolder, vAppUp),
        };
        return PropertyReader.filter(PropertyReader.objectSpec(vm, traversals),
                PropertyReader.propertySpec("VirtualMachine", PATHS),
                PropertyReader.propertySpec("Datacenter", "name"));
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
