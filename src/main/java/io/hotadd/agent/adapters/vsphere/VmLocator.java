package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.TraversalSpec;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.VSphereException;

import java.util.List;
import org.jboss.logging.Logger;

/**
 * Turns a {@link VmSelector} into the VM's managed object reference, without reading the VM itself.
 *
 * <ul>
 *   <li>moref: taken as is (reading the VM tells whether it exists);</li>
 *   <li>instance or BIOS UUID: {@code SearchIndex.FindByUuid(vmSearch=true, instanceUuid=...)}. BIOS UUIDs
 *       can repeat (VMs copied as files) and vCenter then answers one of them: prefer the instance UUID;</li>
 *   <li>name: a ContainerView of all VMs and one read of their names. Names are unique only within a folder,
 *       so a name that matches several VMs is refused with their morefs.</li>
 * </ul>
 */
final class VmLocator {

    private static final Logger LOG = Logger.getLogger(VmLocator.class);

    private final VSphereSession session;
    private final PropertyReader properties;

    VmLocator(VSphereSession session, PropertyReader properties) {
        this.session = session;
        this.properties = properties;
    }

    ManagedObjectReference locate(VmSelector selector) {
        if (selector instanceof VmSelector.ByMoref byMoref) {
            return VSphereSession.mor("VirtualMachine", byMoref.ref().moref());
        } else if (selector instanceof VmSelector.ByInstanceUuid byInstance) {
            return byUuid(selector, byInstance.uuid(), true);
        } else if (selector instanceof VmSelector.ByBiosUuid byBios) {
            return byUuid(selector, byBios.uuid(), false);
        }
        return byName((VmSelector.ByName) selector);
    }

    private ManagedObjectReference byUuid(VmSelector selector, String uuid, boolean instanceUuid) {
        ManagedObjectReference vm = session.call("find the " + selector.describe(), "SearchIndex",
                (vim, content) -> vim.findByUuid(content.searchIndex, null, uuid, true, instanceUuid));
        if (vm == null) {
            throw notFound(selector);
        }
        return vm;
    }

    private ManagedObjectReference byName(VmSelector.ByName selector) {
        ManagedObjectReference view = session.call("list the VMs to find the " + selector.describe(),
                "ViewManager", (vim, content) -> vim.createContainerView(content.viewManager, content.rootFolder,
                        new String[] {"VirtualMachine"}, true));
        try {
            List<String> matches = properties.retrieve("read the names of all VMs", FaultTranslator.ref(view),
                            PropertyReader.filter(viewObjects(view), PropertyReader.propertySpec("VirtualMachine",
                                    "name")))
                    .stream()
                    .filter(vm -> selector.name().equals(InventoryNames.decode(vm.string("name"))))
                    .map(ObjectProperties::moref)
                    .sorted()
                    .toList();
            return single(selector, matches);
        } finally {
            destroyView(view);
        }
    }

    private static ManagedObjectReference single(VmSelector.ByName selector, List<String> matches) {
        if (matches.isEmpty()) {
            throw notFound(selector);
        }
        if (matches.size() > 1) {
            throw new VSphereException.Ambiguous("Several VMs are named '" + selector.name() + "' in vCenter: "
                    + String.join(", ", matches) + ". VM names are unique only within a folder; select the VM by"
                    + " its moref or instance UUID instead.", matches);
        }
        return VSphereSession.mor("VirtualMachine", matches.get(0));
    }

    private static ObjectSpec viewObjects(ManagedObjectReference view) {
        TraversalSpec intoView = new TraversalSpec();
        intoView.name = "view";
        intoView.type = "ContainerView";
        intoView.path = "view";
        intoView.skip = false;
        ObjectSpec spec = PropertyReader.objectSpec(view, intoView);
        spec.skip = true; // the view itself has no name to report
        return spec;
    }

    private void destroyView(ManagedObjectReference view) {
        try {
            session.call("drop the VM list", FaultTranslator.ref(view), (vim, content) -> {
                vim.destroyView(view);
                return null;
            });
        } catch (VSphereException e) {
            LOG.debugf("Could not destroy the container view %s (%s); it ends with the session", view.val,
                    e.getMessage());
        }
    }

    static VSphereException notFound(VmSelector selector) {
        return new VSphereException.NotFound("vCenter has no " + selector.describe() + ". Check the job's VM"
                + " reference: the VM may have been removed, renamed or re-registered (which gives it a new moref).",
                "NotFound", null, null);
    }
}
