package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VmCatalog;
import io.hotadd.agent.port.VSphereException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory vCenter for engine tests that passes the same {@code VSphereContract} as the real adapter on
 * the simulator harness: VMs in folders whose bytes live in memory, snapshots that freeze them onto redo logs
 * and consolidate on removal, linked clones sharing the frozen bytes, CBT from a write log in whole blocks,
 * enforced disabled methods, foreign tasks, and a proxy whose attached disks are announced to a
 * {@link FakeGuestDisks}. Ordering rules the agent must keep are recorded as {@link #violations()}; fault
 * rules through {@link #faults()}.
 */
public final class FakeVSphere implements VSphere, VmCatalog {
    /** The VM folder {@link #addVm} puts VMs in. */
    public static final String VM_FOLDER = "group-v1";

    final Map<String, FakeVm> vms = new LinkedHashMap<>();
    final FakeIds ids = new FakeIds();
    final FakeModel model = new FakeModel(this);
    private final Map<String, DatastoreInfo> datastores = new LinkedHashMap<>();
    private final Map<String, String> folders = new LinkedHashMap<>();
    private final FakeFaults faults = new FakeFaults();
    private final FakeSnapshots snapshots = new FakeSnapshots(this);
    private final FakeVmChanges changes = new FakeVmChanges(this);
    private final FakeProxyDevices devices = new FakeProxyDevices(this);
    private final FakeCbt cbt = new FakeCbt(this);
    private final FakeVmConfigs configs = new FakeVmConfigs(this);
    final FakeDatastoreFiles files = new FakeDatastoreFiles();
    /** Network names VMs can be connected to. */
    final Set<String> networks = new LinkedHashSet<>(List.of("VM Network"));
    /** Whether vCenter reaches the key provider of encrypted VMs (CreateVM of one fails when not). */
    public volatile boolean keyProviderReachable = true;

    /** Told when disks are attached to or detached from a VM (the fake guest follows the proxy's). */
    public interface ProxyListener {
        void attached(String vmMoref, Disk disk, int bus);

        void detached(String vmMoref, Disk disk);
    }

    public FakeVSphere() {
        datastores.put("datastore-1", new DatastoreInfo("datastore-1", "ds1", "VMFS", 6, 1, 1L << 40, 1L << 39,
                true, List.of("host-1", "host-2")));
        folders.put(VM_FOLDER, "vm");
    }

    public FakeFaults faults() {
        return faults;
    }

    public synchronized void addProxyListener(ProxyListener l) {
        model.proxyListeners.add(l);
    }

    public synchronized void putDatastore(DatastoreInfo ds) {
        datastores.put(ds.moref(), ds);
    }

    /** CBT reports changed and allocated areas in whole blocks of this size (64 KiB unless set). */
    public synchronized void cbtBlock(long bytes) {
        cbt.block = bytes;
    }

    public synchronized long cbtBlock() {
        return cbt.block;
    }

    // ---------------------------------------------------------------- scene setting for tests

    /** A powered-on VM in {@link #VM_FOLDER} with a PVSCSI controller at bus 0 and one thin disk per capacity. */
    public synchronized FakeVm addVm(String name, long... diskCapacities) {
        if (model.named(VM_FOLDER, name).isPresent()) {
            throw new IllegalArgumentException("a VM named '" + name + "' is already in " + VM_FOLDER);
        }
        FakeVm vm = new FakeVm(ids.moref("vm"), name);
        vm.instanceUuid = ids.vmUuid("50");
        vm.biosUuid = ids.vmUuid("42");
        vm.controllers.add(new ControllerInfo(1000, 0, ControllerType.PVSCSI));
        for (int i = 0; i < diskCapacities.length; i++) {
            addDisk(vm, 1000, i >= 7 ? i + 1 : i, diskCapacities[i]);
        }
        vms.put(vm.moref, vm);
        return vm;
    }

    /** A new thin disk file in the VM's folder ({@code web.vmdk}, {@code web_1.vmdk}, ...), keys from 2000. */
    public synchronized Disk addDisk(FakeVm vm, int controllerKey, int unit, long capacity) {
        Disk d = new Disk();
        d.key = vm.disks.stream().mapToInt(x -> x.key).filter(k -> k >= 2000 && k < 3000).max().orElse(1999) + 1;
        d.label = "Hard disk " + (vm.disks.size() + 1);
        d.controllerKey = controllerKey;
        d.unit = unit;
        d.capacity = capacity;
        d.uuid = ids.diskUuid();
        d.fileName = vm.folderPath(datastoreName(vm.datastore)) + vm.name
                + (vm.disks.isEmpty() ? "" : "_" + vm.disks.size()) + ".vmdk";
        d.content = new FakeDiskContent(capacity);
        vm.disks.add(d);
        return d;
    }

    /** A network VMs can be connected to (besides "VM Network"). */
    public synchronized void addNetwork(String name) {
        networks.add(name);
    }

    /** A file on a datastore, as the file service would serve it. */
    public synchronized void putFile(String datacenter, String datastorePath, byte[] content) {
        files.put(datacenter, datastorePath, content);
    }

    public synchronized Optional<byte[]> file(String datacenter, String datastorePath) {
        return files.get(datacenter, datastorePath);
    }

    public synchronized void deleteFile(String datacenter, String datastorePath) {
        files.deleteUnder(datacenter, datastorePath);
    }

    /** A new VM folder (beside {@link #VM_FOLDER}); answers its moref. */
    public synchronized String addVmFolder(String name) {
        String moref = ids.moref("group-v");
        folders.put(moref, name);
        return moref;
    }

    /** Another product starts a task on the VM, running until the answered action ends it. */
    public synchronized Runnable startTask(VmRef vm, String descriptionId) {
        FakeVm v = existing(vm);
        v.activeTasks.add(descriptionId);
        return () -> {
            synchronized (this) {
                v.activeTasks.remove(descriptionId);
            }
        };
    }

    /** A write inside the guest of {@code vm}: lands on the disk's current file and in the CBT log. */
    public synchronized void guestWrite(FakeVm vm, int diskKey, long offset, byte[] data) {
        vm.disk(diskKey).content.write(++vm.writeSeq, offset, data);
    }

    /** The current bytes of a VM's disk. */
    public synchronized byte[] diskBytes(FakeVm vm, int key) {
        return vm.disk(key).content.snapshotOfBytes();
    }

    /** The ranges of a VM's disk that were ever written (a thin disk's allocation). */
    public synchronized List<Extent> allocated(FakeVm vm, int key) {
        return vm.disk(key).content.allocated();
    }

    @Override
    public synchronized List<VmInfo> allVms() {
        return vms.values().stream().map(this::info).toList();
    }

    public synchronized FakeVm vm(String moref) {
        return vms.get(moref);
    }

    public synchronized List<FakeVm> vms() {
        return List.copyOf(vms.values());
    }

    /** What a crash sweep would have to clean: clones, snapshots, disabled methods, foreign proxy disks. */
    public synchronized List<String> leftovers(FakeVm proxy) {
        return model.leftovers(proxy);
    }

    /** Ordering rules broken so far (e.g. a snapshot removed while its clone still existed). */
    public synchronized List<String> violations() {
        List<String> all = new ArrayList<>(model.violations);
        model.proxyListeners.stream().filter(l -> l instanceof FakeGuestDisks).map(l -> (FakeGuestDisks) l)
                .forEach(g -> all.addAll(g.violations()));
        return all;
    }

    // ---------------------------------------------------------------- VmInventory

    @Override
    public synchronized VmInfo find(VmSelector selector) {
        faults.check("find", selector.describe());
        List<String> matches = vms.values().stream().filter(vm -> matches(vm, selector)).map(vm -> vm.moref)
                .sorted().toList();
        if (matches.isEmpty()) {
            throw new VSphereException.NotFound("vCenter has no " + selector.describe() + ". Check the job's VM"
                    + " reference: the VM may have been removed, renamed or re-registered.", "NotFound", null, null);
        }
        if (matches.size() > 1 && selector instanceof VmSelector.ByName byName) {
            throw new VSphereException.Ambiguous("Several VMs are named '" + byName.name() + "' in vCenter: "
                    + String.join(", ", matches) + ". VM names are unique only within a folder; select the VM by"
                    + " its moref or instance UUID instead.", matches);
        }
        return info(vms.get(matches.get(0))); // BIOS UUIDs may repeat: vCenter answers one of them
    }

    private static boolean matches(FakeVm vm, VmSelector s) {
        if (s instanceof VmSelector.ByMoref m) {
            return vm.moref.equals(m.ref().moref());
        } else if (s instanceof VmSelector.ByInstanceUuid u) {
            return u.uuid().equalsIgnoreCase(vm.instanceUuid);
        } else if (s instanceof VmSelector.ByBiosUuid b) {
            return b.uuid().equalsIgnoreCase(vm.biosUuid);
        }
        return ((VmSelector.ByName) s).name().equals(vm.name);
    }

    @Override
    public synchronized Optional<VmInfo> read(VmRef vm) {
        faults.check("read", vm.moref());
        return Optional.ofNullable(vms.get(vm.moref())).map(this::info);
    }

    private VmInfo info(FakeVm vm) {
        return vm.info(datastoreName(vm.datastore));
    }

    @Override
    public synchronized List<DiskInfo> snapshotDisks(VmRef vm, SnapshotRef snapshot) {
        faults.check("snapshotDisks", snapshot.moref());
        FakeVm v = existing(vm);
        return model.snap(v, snapshot).disks.stream().map(d -> d.info(v.datastore)).toList();
    }

    @Override
    public synchronized List<DatastoreInfo> datastores(List<String> morefs) {
        faults.check("datastores", String.join(",", morefs));
        return morefs.stream().map(m -> Optional.ofNullable(datastores.get(m)).orElseThrow(
                () -> new VSphereException.NotFound("vCenter has no datastore " + m + " (any more). Read the VM"
                        + " again: its disks may have been moved.", "ManagedObjectNotFound", null, null))).toList();
    }

    @Override
    public synchronized List<String> activeTasks(VmRef vm) {
        faults.check("activeTasks", vm.moref());
        return List.copyOf(existing(vm).activeTasks);
    }

    @Override
    public synchronized List<Extent> changedAreas(VmRef vm, SnapshotRef snapshot, int diskKey, long capacity,
                                                  String changeId) {
        faults.check("changedAreas", vm.moref() + "/" + diskKey);
        return cbt.changedAreas(vm, snapshot, diskKey, capacity, changeId);
    }

    @Override
    public synchronized CapturedConfig captureConfig(VmRef vm, SnapshotRef snapshot) {
        faults.check("captureConfig", snapshot.moref());
        return configs.capture(vm, snapshot);
    }

    // ---------------------------------------------------------------- VmOperations and ProxyDevices

    @Override
    public synchronized VmRef createVm(CreateVmSpec spec) {
        faults.check("createVm", spec.name());
        return configs.create(spec);
    }

    @Override
    public synchronized void powerOn(VmRef vm) {
        faults.check("powerOn", vm.moref());
        FakeVm v = existing(vm);
        model.checkEnabled(v, "PowerOnVM_Task");
        v.power = PowerState.POWERED_ON;
    }

    @Override
    public synchronized void setChangeTracking(VmRef vm, boolean enabled) {
        faults.check("setChangeTracking", vm.moref());
        cbt.setChangeTracking(vm, enabled);
    }

    @Override
    public synchronized SnapshotRef createSnapshot(VmRef vm, String name, String description, boolean quiesce) {
        faults.check("createSnapshot", vm.moref());
        return snapshots.create(vm, name, description, quiesce);
    }

    @Override
    public synchronized void removeSnapshot(SnapshotRef snapshot) {
        faults.check("removeSnapshot", snapshot.moref());
        snapshots.remove(snapshot);
    }

    @Override
    public synchronized void consolidateDisks(VmRef vm) {
        faults.check("consolidateDisks", vm.moref());
        changes.consolidateDisks(vm);
    }

    @Override
    public synchronized VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec) {
        faults.check("createLinkedClone", source.moref());
        return changes.createLinkedClone(source, snapshot, spec);
    }

    @Override
    public synchronized void destroy(VmRef vm) {
        faults.check("destroy", vm.moref());
        changes.destroy(vm);
    }

    @Override
    public synchronized void disableMethods(VmRef vm, List<String> methods, String sourceId) {
        faults.check("disableMethods", vm.moref());
        changes.disableMethods(vm, methods, sourceId);
    }

    @Override
    public synchronized void enableMethods(VmRef vm, List<String> methods, String sourceId) {
        faults.check("enableMethods", vm.moref());
        changes.enableMethods(vm, methods, sourceId);
    }

    @Override
    public synchronized DiskInfo addSpareController(VmRef proxy, int busNumber, String dummyFileName, long bytes) {
        faults.check("addSpareController", proxy.moref());
        return devices.addSpareController(proxy, busNumber, dummyFileName, bytes);
    }

    @Override
    public synchronized List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks) {
        faults.check("attachDisks", proxy.moref());
        return devices.attachDisks(proxy, disks);
    }

    @Override
    public synchronized void detachDisks(VmRef proxy, List<Integer> deviceKeys) {
        faults.check("detachDisks", proxy.moref());
        devices.detachDisks(proxy, deviceKeys);
    }

    // ---------------------------------------------------------------- DatastoreFiles

    @Override
    public synchronized byte[] download(String datacenter, String datastorePath) {
        faults.check("download", datastorePath);
        return files.download(datacenter, datastorePath);
    }

    @Override
    public synchronized void upload(String datacenter, String datastorePath, InputStream content, long length) {
        faults.check("upload", datastorePath);
        files.upload(datacenter, datastorePath, content, length);
    }

    // ---------------------------------------------------------------- shared with the model's parts

    /** The moref of the datastore of this name. */
    synchronized Optional<String> datastoreByName(String name) {
        return datastores.values().stream().filter(ds -> ds.name().equals(name)).map(DatastoreInfo::moref)
                .findFirst();
    }

    synchronized FakeVm existing(VmRef ref) {
        FakeVm vm = vms.get(ref.moref());
        if (vm == null) {
            throw new VSphereException.NotFound("Cannot work on VM " + ref.moref() + ": the object does not exist"
                    + " (any more) in vCenter.", "ManagedObjectNotFound", null, null);
        }
        return vm;
    }

    synchronized boolean hasFolder(String moref) {
        return folders.containsKey(moref);
    }

    /** The name vCenter shows in datastore paths ({@code [ds1] web/web.vmx}); the moref if it is unknown. */
    synchronized String datastoreName(String moref) {
        DatastoreInfo ds = datastores.get(moref);
        return ds == null ? moref : ds.name();
    }

    /** The moref of the datastore a path like {@code [ds1] web/web.vmdk} names, if vCenter knows it. */
    synchronized Optional<String> datastoreOfPath(String path) {
        int end = path.indexOf(']');
        String name = path.startsWith("[") && end > 0 ? path.substring(1, end) : "";
        return datastores.values().stream().filter(ds -> ds.name().equals(name)).map(DatastoreInfo::moref)
                .findFirst();
    }
}
