package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.VSphereException;

import java.util.List;

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
        List<String> matches = AllVmsView.read(session, properties, "find the " + selector.describe(), "name")
                .stream()
                .filter(vm -> selector.name().equals(InventoryNames.decode(vm.string("name"))))
                .map(ObjectProperties::moref)
                .sorted()
                .toList();
        return single(selector, matches);
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

    static VSphereException notFound(VmSelector selector) {
        return new VSphereException.NotFound("vCenter has no " + selector.describe() + ". Check the job's VM"
                + " reference: the VM may have been removed, renamed or re-registered (which gives it a new moref).",
                "NotFound", null, null);
    }
}
