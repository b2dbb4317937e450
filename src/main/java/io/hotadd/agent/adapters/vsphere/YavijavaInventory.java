package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DatastoreHostMount;
import com.vmware.vim25.DatastoreSummary;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VmfsDatastoreInfo;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmInventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** {@link VmInventory} on the PropertyCollector: one RetrievePropertiesEx per question. */
final class YavijavaInventory implements VmInventory {

    private final VSphereSession session;
    private final PropertyReader properties;
    private final VmLocator locator;
    private final YavijavaConfigCapture configs;

    YavijavaInventory(VSphereSession session, PropertyReader properties) {
        this.session = session;
        this.properties = properties;
        this.locator = new VmLocator(session, properties);
        this.configs = new YavijavaConfigCapture(session, properties);
    }

    @Override
    public CapturedConfig captureConfig(VmRef vm, SnapshotRef snapshot) {
        return configs.capture(vm, snapshot);
    }

    @Override
    public VmInfo find(VmSelector selector) {
        ManagedObjectReference vm = locator.locate(selector);
        return readVm(vm).orElseThrow(() -> VmLocator.notFound(selector));
    }

    @Override
    public Optional<VmInfo> read(VmRef vm) {
        return readVm(VSphereSession.mor("VirtualMachine", vm.moref()));
    }

    Optional<VmInfo> readVm(ManagedObjectReference vm) {
        List<ObjectProperties> found;
        try {
            found = properties.retrieve("read the configuration of VM " + vm.val, FaultTranslator.ref(vm),
                    VmProperties.vmWithDatacenter(vm));
        } catch (VSphereException.NotFound gone) {
            return Optional.empty();
        }
        String datacenter = datacenterPath(found);
        return found.stream().filter(o -> o.moref().equals(vm.val) && "VirtualMachine".equals(o.ref().type))
                .findFirst().map(o -> VmInfoMapper.map(o, datacenter));
    }

    /**
     * The datacenter's inventory path below the root folder: its name, preceded by the folders it sits in
     * ({@code emea/dc-paris}), which is what the file service's {@code dcPath} expects.
     */
    static String datacenterPath(List<ObjectProperties> found) {
        Map<String, ObjectProperties> folders = found.stream().filter(o -> "Folder".equals(o.ref().type))
                .collect(Collectors.toMap(ObjectProperties::moref, Function.identity(), (a, b) -> a));
        ObjectProperties datacenter = found.stream().filter(o -> "Datacenter".equals(o.ref().type)).findFirst()
                .orElse(null);
        if (datacenter == null) {
            return null;
        }
        StringBuilder path = new StringBuilder(InventoryNames.decode(datacenter.string("name")));
        ManagedObjectReference parent = datacenter.mor("parent");
        for (ObjectProperties folder; parent != null && (folder = folders.get(parent.val)) != null; ) {
            if (folder.mor("parent") == null) {
                break; // the root folder is not part of the path
            }
            path.insert(0, InventoryNames.decode(folder.string("name")) + "/");
            parent = folder.mor("parent");
        }
        return path.toString();
    }

    /** The devices of a VM as vCenter has them now (what a reconfiguration must refer to); empty if gone. */
    Optional<List<VirtualDevice>> devices(VmRef vm) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", vm.moref());
        try {
            ObjectProperties props = properties.retrieveOne("read the devices of VM " + vm.moref(), mor,
                    "config.hardware.device");
            return Optional.of(props.array("config.hardware.device", VirtualDevice.class));
        } catch (VSphereException.NotFound gone) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> activeTasks(VmRef vm) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", vm.moref());
        ManagedObjectReference taskManager = session.serviceContent().taskManager;
        return properties.retrieve("list the tasks running on VM " + vm.moref(), FaultTranslator.ref(mor),
                        VmProperties.recentTasks(mor, taskManager)).stream()
                .filter(task -> isActive(task.get("info.state", TaskInfoState.class)))
                .filter(task -> {
                    ManagedObjectReference entity = task.mor("info.entity");
                    return entity != null && vm.moref().equals(entity.val);
                })
                .map(task -> task.string("info.descriptionId"))
                .filter(Objects::nonNull)
                .toList();
    }

    private static boolean isActive(TaskInfoState state) {
        return state == TaskInfoState.queued || state == TaskInfoState.running;
    }

    @Override
    public List<DiskInfo> snapshotDisks(VmRef vm, SnapshotRef snapshot) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachineSnapshot", snapshot.moref());
        ObjectProperties props = properties.retrieveOne("read the disks of snapshot " + snapshot.moref()
                + " of VM " + vm.moref(), mor, "config.hardware.device");
        return VirtualDeviceMapper.disks(props.array("config.hardware.device", VirtualDevice.class));
    }

    @Override
    public List<DatastoreInfo> datastores(List<String> datastoreMorefs) {
        if (datastoreMorefs.isEmpty()) {
            return List.of();
        }
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.objectSet = datastoreMorefs.stream().distinct()
                .map(moref -> PropertyReader.objectSpec(VSphereSession.mor("Datastore", moref)))
                .toArray(ObjectSpec[]::new);
        spec.propSet = new PropertySpec[] {
            PropertyReader.propertySpec("Datastore", "summary", "info", "host")};
        Map<String, ObjectProperties> byMoref = properties.retrieve("read datastores "
                        + String.join(", ", datastoreMorefs), "Datastore", spec)
                .stream().collect(Collectors.toMap(ObjectProperties::moref, Function.identity(), (a, b) -> a));
        List<DatastoreInfo> answer = new ArrayList<>();
        for (String moref : datastoreMorefs) {
            ObjectProperties ds = byMoref.get(moref);
            if (ds == null) {
                throw new VSphereException.NotFound("vCenter has no datastore " + moref + " (any more). Read the"
                        + " VM again: its disks may have been moved.", "ManagedObjectNotFound", null, null);
            }
            answer.add(datastore(ds));
        }
        return answer;
    }

    private static DatastoreInfo datastore(ObjectProperties ds) {
        DatastoreSummary summary = ds.get("summary", DatastoreSummary.class);
        int vmfsMajor = 0;
        int blockSizeMb = 0;
        if (ds.get("info", Object.class) instanceof VmfsDatastoreInfo vmfs && vmfs.vmfs != null) {
            vmfsMajor = vmfs.vmfs.majorVersion;
            blockSizeMb = vmfs.vmfs.blockSizeMb;
        }
        List<String> hosts = ds.array("host", DatastoreHostMount.class).stream()
                .filter(mount -> mount.key != null).map(mount -> mount.key.val).toList();
        return new DatastoreInfo(ds.moref(), InventoryNames.decode(summary.name), summary.type, vmfsMajor,
                blockSizeMb, summary.capacity, summary.freeSpace, summary.accessible, hosts);
    }
}
