package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.TraversalSpec;
import com.vmware.vim25.ws.Argument;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VSphereException;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code VirtualMachineSnapshot.config} captured for a restore: one RetrievePropertiesEx whose response is
 * kept verbatim ({@link ConfigXml}) and also read into the model (with {@code keyId}, the vTPM and what
 * else the project adds to yavijava's) for the summary; a second question names the VM's networks, since a
 * NIC on a distributed port group records only the group's key.
 */
final class YavijavaConfigCapture {
    private static final String CONFIG = "config";

    private final VSphereSession session;
    private final PropertyReader properties;

    YavijavaConfigCapture(VSphereSession session, PropertyReader properties) {
        this.session = session;
        this.properties = properties;
    }

    CapturedConfig capture(VmRef vm, SnapshotRef snapshot) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachineSnapshot", snapshot.moref());
        String action = "read the configuration of snapshot " + snapshot.moref() + " of VM " + vm.moref();
        VimSoapClient.Answer answer = session.call(action, FaultTranslator.ref(mor), (vim, content) ->
                ((VimSoapClient) vim.getWsc()).invokeKeepingBody("RetrievePropertiesEx", new Argument[] {
                    new Argument("_this", "ManagedObjectReference", content.propertyCollector),
                    new Argument("specSet", "PropertyFilterSpec[]", new PropertyFilterSpec[] {
                        PropertyReader.filter(PropertyReader.objectSpec(mor),
                                PropertyReader.propertySpec("VirtualMachineSnapshot", CONFIG))}),
                    new Argument("options", "RetrieveOptions", new RetrieveOptions())}, "RetrieveResult"));
        VmConfigTypes.VirtualMachineConfigInfo info = configOf(answer, mor, action);
        String xml;
        try {
            xml = ConfigXml.extract(answer.body(), CONFIG);
        } catch (UnreadableResponseException e) {
            throw new VSphereException.Transport("Cannot " + action + ": " + e.getMessage() + ".", false, e);
        }
        return new CapturedConfig(xml, ConfigSummaryMapper.map(info, networkNames(vm)));
    }

    private static VmConfigTypes.VirtualMachineConfigInfo configOf(VimSoapClient.Answer answer,
                                                                  ManagedObjectReference mor, String action) {
        RetrieveResult result = (RetrieveResult) answer.value();
        if (result != null && result.objects != null) {
            for (ObjectContent o : result.objects) {
                Object config = new ObjectProperties(o).get(CONFIG, Object.class);
                if (config instanceof VmConfigTypes.VirtualMachineConfigInfo info) {
                    return info;
                }
            }
        }
        throw new VSphereException.NotFound("Cannot " + action + ": vCenter returned no configuration for "
                + FaultTranslator.ref(mor) + "; the snapshot may have been removed meanwhile.", "ManagedObjectNotFound",
                null, null);
    }

    /** The VM's networks by moref and, for distributed port groups, by key. */
    private Map<String, String> networkNames(VmRef vm) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", vm.moref());
        TraversalSpec toNetworks = new TraversalSpec();
        toNetworks.name = "vmNetworks";
        toNetworks.type = "VirtualMachine";
        toNetworks.path = "network";
        toNetworks.skip = false;
        ObjectSpec start = PropertyReader.objectSpec(mor, toNetworks);
        start.skip = true;
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.objectSet = new ObjectSpec[] {start};
        spec.propSet = new PropertySpec[] {PropertyReader.propertySpec("Network", "name"),
            PropertyReader.propertySpec("DistributedVirtualPortgroup", "name", "key")};
        Map<String, String> names = new HashMap<>();
        for (ObjectProperties net : properties.retrieve("read the networks of VM " + vm.moref(),
                FaultTranslator.ref(mor), spec)) {
            String name = InventoryNames.decode(net.string("name"));
            names.put(net.moref(), name);
            if ("DistributedVirtualPortgroup".equals(net.ref().type) && net.string("key") != null) {
                names.put(net.string("key"), name);
            }
        }
        return names;
    }
}
