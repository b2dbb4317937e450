package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DistributedVirtualSwitchPortConnection;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.SelectionSpec;
import com.vmware.vim25.TraversalSpec;
import com.vmware.vim25.VirtualDeviceBackingInfo;
import com.vmware.vim25.VirtualEthernetCardDistributedVirtualPortBackingInfo;
import com.vmware.vim25.VirtualEthernetCardNetworkBackingInfo;
import io.hotadd.agent.port.VSphereException;
import java.util.HashMap;
import java.util.Map;

/**
 * The NIC backings of a restored VM: each network name (after the request's mapping) resolved in the
 * datacenter of the VM's folder, to a standard network backing or a port of a distributed port group (which
 * needs the group's key and its switch's UUID). One question finds the datacenter's networks by walking up
 * from the folder; one more per distributed switch used reads its UUID.
 */
final class NetworkBackings {
    private final PropertyReader properties;
    private final Map<String, ObjectProperties> byName = new HashMap<>();
    private final Map<String, String> switchUuids = new HashMap<>();
    private final String folder;

    private NetworkBackings(PropertyReader properties, String folder) {
        this.properties = properties;
        this.folder = folder;
    }

    /** The networks of the datacenter that holds {@code folder} (a VM folder moref). */
    static NetworkBackings inDatacenterOf(PropertyReader properties, String folder) {
        NetworkBackings networks = new NetworkBackings(properties, folder);
        ManagedObjectReference start = VSphereSession.mor("Folder", folder);
        for (ObjectProperties net : properties.retrieve("read the networks of the datacenter of folder " + folder,
                FaultTranslator.ref(start), networksAbove(start))) {
            if (!"Folder".equals(net.ref().type) && !"Datacenter".equals(net.ref().type)) {
                networks.byName.putIfAbsent(InventoryNames.decode(net.string("name")), net);
            }
        }
        return networks;
    }

    /**
     * The backing for a NIC on the network of this name.
     *
     * @throws VSphereException.NotFound naming the network and the datacenter's networks
     */
    VirtualDeviceBackingInfo backingFor(String name) {
        ObjectProperties net = byName.get(name);
        if (net == null) {
            throw new VSphereException.NotFound("There is no network named '" + name + "' in the datacenter of folder "
                    + folder + "; it has " + byName.keySet().stream().sorted().toList() + ". Map the VM's network to"
                    + " one of them (networkMap).", "NotFound", null, null);
        }
        if ("DistributedVirtualPortgroup".equals(net.ref().type)) {
            VirtualEthernetCardDistributedVirtualPortBackingInfo dvs =
                    new VirtualEthernetCardDistributedVirtualPortBackingInfo();
            dvs.port = new DistributedVirtualSwitchPortConnection();
            dvs.port.portgroupKey = net.string("key") != null ? net.string("key") : net.moref();
            dvs.port.switchUuid = switchUuid(net.mor("config.distributedVirtualSwitch"), name);
            return dvs;
        }
        VirtualEthernetCardNetworkBackingInfo standard = new VirtualEthernetCardNetworkBackingInfo();
        standard.deviceName = name;
        standard.network = net.ref();
        return standard;
    }

    private String switchUuid(ManagedObjectReference dvs, String portgroup) {
        if (dvs == null) {
            throw new VSphereException.NotFound("vCenter names no distributed switch for port group '" + portgroup
                    + "'; check the port group's configuration.", "NotFound", null, null);
        }
        return switchUuids.computeIfAbsent(dvs.val, key -> properties.retrieveOne("read the UUID of distributed"
                + " switch " + key, dvs, "uuid").string("uuid"));
    }

    /** Folder.parent up to the Datacenter, then its networks, with the properties a backing needs. */
    private static PropertyFilterSpec networksAbove(ManagedObjectReference folder) {
        SelectionSpec up = new SelectionSpec();
        up.name = "folderUp";
        SelectionSpec networks = new SelectionSpec();
        networks.name = "datacenterNetworks";
        PropertyFilterSpec spec = new PropertyFilterSpec();
        ObjectSpec start = PropertyReader.objectSpec(folder, traversal("folderUp", "Folder", "parent", up, networks),
                traversal("datacenterNetworks", "Datacenter", "network"));
        spec.objectSet = new ObjectSpec[] {start};
        spec.propSet = new PropertySpec[] {PropertyReader.propertySpec("Network", "name"),
            PropertyReader.propertySpec("DistributedVirtualPortgroup", "name", "key", "config.distributedVirtualSwitch")};
        return spec;
    }

    private static TraversalSpec traversal(String name, String type, String path, SelectionSpec... next) {
        TraversalSpec spec = new TraversalSpec();
        spec.name = name;
        spec.type = type;
        spec.path = path;
        spec.skip = false;
        spec.selectSet = next.length == 0 ? null : next;
        return spec;
    }
}
