package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory vCenter for engine tests: VMs with disks whose bytes live in memory, snapshots that freeze
 * them, linked clones sharing the frozen bytes, CBT from a write log, disabled methods, and a proxy whose
 * attached disks are announced to a {@link FakeGuestDisks}. Fault rules through {@link #faults()}.
 */
public final class FakeVSphere implements VSphere {
    private final Map<String, FakeVm> vms = new LinkedHashMap<>();
    private final Map<String, DatastoreInfo> datastores = new LinkedHashMap<>();
    private final FakeFaults faults = new FakeFaults();
    private final List<ProxyListener> proxyListeners = new ArrayList<>();
    private final FakeVmChanges changes = new FakeVmChanges(this);
    private int nextId = 100;
    private long cbtSeq;

    /** Told when disks are attached to or detached from a VM (the fake guest follows the proxy's). */
    public interface ProxyListener {
        void attached(String vmMoref, Disk disk, int bus);

        void detached(String vmMoref, Disk disk);
    }

    public FakeVSphere() {
        datastores.put("datastore-1", new DatastoreInfo("datastore-1", "ds1", "VMFS", 6, 1, 1L << 40, 1L << 39,
                true, List.of("host-1", "host-2")));
    }

    public FakeFaults faults() {
        return faults;
    }

    public synchronized void addProxyListener(ProxyListener l) {
        proxyListeners.add(l);
    }

    public synchronized void putDatastore(DatastoreInfo ds) {
        datastores.put(ds.moref(), ds);
    }

    // ---------------------------------------------------------------- scene setting for tests

    /** A powered-on VM with a PVSCSI controller at bus 0 and one thin disk per capacity given. */
    public synchronized FakeVm addVm(String name, long... diskCapacities) {
        FakeVm vm = new FakeVm("vm-" + nextId++, name);
        vm.instanceUuid = uuid("50", nextId);
        vm.biosUuid = uuid("42", nextId);
        vm.controllers.add(new ControllerInfo(1000, 0, ControllerType.PVSCSI));
        for (int i = 0; i < diskCapacities.length; i++) {
            addDisk(vm, 1000, i == 7 ? 8 : i, diskCapacities[i]);
        }
        vms.put(vm.moref, vm);
        return vm;
    }

    public synchronized Disk addDisk(FakeVm vm, int controllerKey, int unit, long capacity) {
        Disk d = new Disk();
        d.key = 2000 + vm.disks.size();
        d.controllerKey = controllerKey;
        d.unit = unit;
        d.capacity = capacity;
        d.uuid = diskUuid();
        d.fileName = "[" + vm.datastore + "] " + vm.name + "/" + vm.name + (vm.disks.isEmpty() ? "" : "_" + vm.disks.size())
                + ".vmdk";
        d.content = new FakeDiskContent(capacity);
        vm.disks.add(d);
        return d;
    }

    /** A write inside the guest of {@code vm}: lands on the disk's current file and in the CBT log. */
    public synchronized void guestWrite(FakeVm vm, int diskKey, long offset, byte[] data) {
        vm.disk(diskKey).content.write(++cbtSeq, offset, data);
    }

    /** The current bytes of a VM's disk. */
    public synchronized byte[] diskBytes(FakeVm vm, int key) {
        return vm.disk(key).content.snapshotOfBytes();
    }

    public synchronized FakeVm vm(String moref) {
        return vms.get(moref);
    }

    public synchronized List<FakeVm> vms() {
        return List.copyOf(vms.values());
    }

    /** What a crash sweep would have to clean: clones, snapshots, disabled methods, foreign proxy disks. */
    public synchronized List<String> leftovers(FakeVm proxy) {
        List<String> left = new ArrayList<>();
        for (FakeVm vm : vms.values()) {
            if (vm.isClone) {
                left.add("clone " + vm.name);
            }
            vm.allSnapshots().forEach(s -> left.add("snapshot " + s.name + " on " + vm.name));
            if (!vm.disabledMethods.isEmpty()) {
                left.add("disabled " + vm.disabledMethods + " on " + vm.name);
            }
        }
        proxy.disks.stream().filter(d -> !d.fileName.contains("] " + proxy.name + "/"))
                .forEach(d -> left.add("proxy disk " + d.fileName));
        return left;
    }

    // ---------------------------------------------------------------- VmInventory

    @Override
    public synchronized VmInfo find(VmSelector selector) {
        faults.check("find", selector.describe());
        return vms.values().stream().filter(vm -> matches(vm, selector)).findFirst()
                .orElseThrow(() -> new VSphereException.NotFound(selector.describe() + " not found in vCenter",
                        "NotFound", null, null))
                .info();
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
        return Optional.ofNullable(vms.get(vm.moref())).map(FakeVm::info);
    }

    @Override
    public synchronized List<DiskInfo> snapshotDisks(VmRef vm, SnapshotRef snapshot) {
        faults.check("snapshotDisks", snapshot.moref());
        FakeVm v = existing(vm);
        return snap(v, snapshot).disks.stream().map(d -> d.info(v.datastore)).toList();
    }

    @Override
    public synchronized List<DatastoreInfo> datastores(List<String> morefs) {
        faults.check("datastores", String.join(",", morefs));
        return morefs.stream().map(m -> Optional.ofNullable(datastores.get(m)).orElseThrow(
                () -> new VSphereException.NotFound("datastore " + m + " not found", "NotFound", null, null))).toList();
    }

    @Override
    public synchronized List<String> activeTasks(VmRef vm) {
        faults.check("activeTasks", vm.moref());
        return List.copyOf(existing(vm).activeTasks);
    }

    // ---------------------------------------------------------------- ChangedBlockTracking

    @Override
    public synchronized List<Extent> changedAreas(VmRef vm, SnapshotRef snapshot, int diskKey, long capacity,
                                                  String changeId) {
        faults.check("changedAreas", vm.moref() + "/" + diskKey);
        FakeVm v = existing(vm);
        Disk d = snap(v, snapshot).disks.stream().filter(x -> x.key == diskKey).findFirst().orElseThrow(
                () -> new VSphereException.Fault("no disk " + diskKey + " in " + snapshot, "InvalidArgument", null, false, null));
        if (d.changeId == null) {
            throw new VSphereException.Fault("CBT was off when " + snapshot + " was taken", "NotSupported", null, false, null);
        }
        if (ALL_ALLOCATED.equals(changeId)) {
            return Extents.normalize(d.content.allocated());
        }
        String[] parts = changeId.split("/");
        if (parts.length != 2 || !parts[0].equals(d.changeId.split("/")[0])) {
            throw new VSphereException.ChangeIdRejected("change id " + changeId + " is not valid for disk " + diskKey
                    + " of " + v.name + " (CBT was reset)", "InvalidArgument", null, null);
        }
        long upTo = Long.parseLong(d.changeId.split("/")[1]);
        return Extents.normalize(d.content.writtenBetween(Long.parseLong(parts[1]), upTo));
    }

    // ---------------------------------------------------------------- VmOperations and ProxyDevices

    @Override
    public synchronized void setChangeTracking(VmRef vm, boolean enabled) {
        faults.check("setChangeTracking", vm.moref());
        changes.setChangeTracking(vm, enabled);
    }

    @Override
    public synchronized SnapshotRef createSnapshot(VmRef vm, String name, String description, boolean quiesce) {
        faults.check("createSnapshot", vm.moref());
        return changes.createSnapshot(vm, name, description, quiesce);
    }

    @Override
    public synchronized void removeSnapshot(SnapshotRef snapshot) {
        faults.check("removeSnapshot", snapshot.moref());
        changes.removeSnapshot(snapshot);
    }

    @Override
    public synchronized void consolidateDisks(VmRef vm) {
        faults.check("consolidateDisks", vm.moref());
        existing(vm).consolidationNeeded = false;
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
        return changes.addSpareController(proxy, busNumber, dummyFileName, bytes);
    }

    @Override
    public synchronized List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks) {
        faults.check("attachDisks", proxy.moref());
        return changes.attachDisks(proxy, disks);
    }

    @Override
    public synchronized void detachDisks(VmRef proxy, List<Integer> deviceKeys) {
        faults.check("detachDisks", proxy.moref());
        changes.detachDisks(proxy, deviceKeys);
    }

    /** Ordering rules broken so far (e.g. a snapshot removed while its clone still existed). */
    public synchronized List<String> violations() {
        List<String> all = new ArrayList<>(changes.violations);
        proxyListeners.stream().filter(l -> l instanceof FakeGuestDisks).map(l -> (FakeGuestDisks) l)
                .forEach(g -> all.addAll(g.violations()));
        return all;
    }

    // ---------------------------------------------------------------- helpers shared with FakeVmChanges

    synchronized FakeVm existing(VmRef ref) {
        FakeVm vm = vms.get(ref.moref());
        if (vm == null) {
            throw new VSphereException.NotFound("VM " + ref + " not found", "ManagedObjectNotFound", null, null);
        }
        return vm;
    }

    static Snap snap(FakeVm vm, SnapshotRef ref) {
        return vm.allSnapshots().stream().filter(s -> s.moref.equals(ref.moref())).findFirst().orElseThrow(
                () -> new VSphereException.NotFound("snapshot " + ref + " of " + vm.name + " not found",
                        "ManagedObjectNotFound", null, null));
    }

    synchronized String newMoref(String prefix) {
        return prefix + "-" + nextId++;
    }

    private int nextDeviceKey = 3000;

    synchronized int nextDeviceKey() {
        return nextDeviceKey++;
    }

    synchronized long nextCbtSeq() {
        return cbtSeq;
    }

    synchronized void register(FakeVm vm) {
        vms.put(vm.moref, vm);
    }

    synchronized void unregister(FakeVm vm) {
        vms.remove(vm.moref);
    }

    synchronized Optional<FakeVm> owning(SnapshotRef ref) {
        return vms.values().stream().filter(v -> v.allSnapshots().stream().anyMatch(s -> s.moref.equals(ref.moref())))
                .findFirst();
    }

    synchronized Disk diskWithFile(String fileName) {
        for (FakeVm vm : vms.values()) {
            for (Disk d : vm.disks) {
                if (d.fileName.equals(fileName)) {
                    return d;
                }
            }
            for (Snap s : vm.allSnapshots()) {
                for (Disk d : s.disks) {
                    if (d.fileName.equals(fileName)) {
                        return d;
                    }
                }
            }
        }
        throw new VSphereException.NotFound("disk file " + fileName + " not found", "FileNotFound", null, null);
    }

    synchronized void announceAttached(FakeVm vm, Disk d) {
        int bus = vm.controllers.stream().filter(c -> c.key() == d.controllerKey).findFirst().orElseThrow().busNumber();
        proxyListeners.forEach(l -> l.attached(vm.moref, d, bus));
    }

    synchronized void announceDetached(FakeVm vm, Disk d) {
        proxyListeners.forEach(l -> l.detached(vm.moref, d));
    }

    String diskUuid() {
        return String.format("6000C29%01x-%04x-%04x-%04x-%012x", nextId % 16, nextId++ & 0xffff, 0xabcd, 0x1234,
                (long) nextId * 7919);
    }

    private static String uuid(String prefix, int n) {
        return String.format("%s%06x-0000-0000-0000-%012x", prefix, n, n);
    }

    static Instant now() {
        return Instant.now();
    }

}
