package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.DatastoreFiles;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VmCatalog;
import io.hotadd.agent.port.VcenterActivity;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The agent's vCenter, on yavijava over one {@link VSphereSession}: the engine's {@link VSphere} port plus
 * {@link VcenterActivity} and {@link DatastoreFiles}. Thread-safe; one instance serves all jobs.
 *
 * <p>A facade: the work is split by concern into {@link YavijavaInventory} (PropertyCollector reads),
 * {@link YavijavaVmOperations} (snapshots, clones, CBT, method locks), {@link YavijavaProxyDevices} (the
 * proxy's own controllers and disks), {@link YavijavaChangedAreas} (QueryChangedDiskAreas),
 * {@link YavijavaActivity} (extension, tasks, events, attributes) and {@link YavijavaDatastoreFiles}. Tasks
 * are waited for by {@link TaskWaiter}. The session is the caller's: closing this facade releases only what
 * it created in vCenter (property collectors), not the session.
 */
public final class YavijavaVSphere implements VSphere, VcenterActivity, VmCatalog, AutoCloseable {

    private final VSphereSession session;
    private final PropertyCollectorPool collectors;
    private final YavijavaInventory inventory;
    private final YavijavaVmOperations operations;
    private final YavijavaProxyDevices proxyDevices;
    private final YavijavaChangedAreas changedAreas;
    private final YavijavaActivity activity;
    private final YavijavaDatastoreFiles files;
    private final YavijavaVmCatalog catalog;

    public YavijavaVSphere(VSphereSession session, VSphereAdapterOptions options) {
        this.session = session;
        PropertyReader properties = new PropertyReader(session);
        this.collectors = new PropertyCollectorPool(session);
        TaskWaiter tasks = new TaskWaiter(session, collectors, options.clock(), options.progress());
        this.inventory = new YavijavaInventory(session, properties);
        this.operations = new YavijavaVmOperations(session, tasks, options.deadlines(),
                new YavijavaVmCreation(session, properties, tasks, options.deadlines(), inventory));
        this.proxyDevices = new YavijavaProxyDevices(tasks, options.deadlines(), inventory);
        this.changedAreas = new YavijavaChangedAreas(session);
        this.activity = new YavijavaActivity(session, properties, tasks, options.deadlines(), options.wallClock());
        this.files = new YavijavaDatastoreFiles(session);
        this.catalog = new YavijavaVmCatalog(session, properties);
    }

    @Override
    public List<VmInfo> allVms() {
        return catalog.allVms();
    }

    /** SOAP round trips of the session so far (all users of the session, logins included). */
    public long soapRoundTrips() {
        return session.soapRoundTrips();
    }

    @Override
    public VmInfo find(VmSelector selector) {
        return inventory.find(selector);
    }

    @Override
    public Optional<VmInfo> read(VmRef vm) {
        return inventory.read(vm);
    }

    @Override
    public List<String> activeTasks(VmRef vm) {
        return inventory.activeTasks(vm);
    }

    @Override
    public List<DiskInfo> snapshotDisks(VmRef vm, SnapshotRef snapshot) {
        return inventory.snapshotDisks(vm, snapshot);
    }

    @Override
    public List<DatastoreInfo> datastores(List<String> datastoreMorefs) {
        return inventory.datastores(datastoreMorefs);
    }

    @Override
    public CapturedConfig captureConfig(VmRef vm, SnapshotRef snapshot) {
        return inventory.captureConfig(vm, snapshot);
    }

    @Override
    public void setChangeTracking(VmRef vm, boolean enabled) {
        operations.setChangeTracking(vm, enabled);
    }

    @Override
    public SnapshotRef createSnapshot(VmRef vm, String name, String description, boolean quiesce) {
        return operations.createSnapshot(vm, name, description, quiesce);
    }

    @Override
    public void removeSnapshot(SnapshotRef snapshot) {
        operations.removeSnapshot(snapshot);
    }

    @Override
    public void consolidateDisks(VmRef vm) {
        operations.consolidateDisks(vm);
    }

    @Override
    public VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec) {
        return operations.createLinkedClone(source, snapshot, spec);
    }

    @Override
    public void destroy(VmRef vm) {
        operations.destroy(vm);
    }

    @Override
    public VmRef createVm(CreateVmSpec spec) {
        return operations.createVm(spec);
    }

    @Override
    public void powerOn(VmRef vm) {
        operations.powerOn(vm);
    }

    @Override
    public void disableMethods(VmRef vm, List<String> methods, String sourceId) {
        operations.disableMethods(vm, methods, sourceId);
    }

    @Override
    public void enableMethods(VmRef vm, List<String> methods, String sourceId) {
        operations.enableMethods(vm, methods, sourceId);
    }

    @Override
    public DiskInfo addSpareController(VmRef proxy, int busNumber, String dummyFileName, long dummyBytes) {
        return proxyDevices.addSpareController(proxy, busNumber, dummyFileName, dummyBytes);
    }

    @Override
    public List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks) {
        return proxyDevices.attachDisks(proxy, disks);
    }

    @Override
    public void detachDisks(VmRef proxy, List<Integer> deviceKeys) {
        proxyDevices.detachDisks(proxy, deviceKeys);
    }

    @Override
    public List<Extent> changedAreas(VmRef vm, SnapshotRef snapshot, int diskKey, long capacityBytes,
                                     String changeId) {
        return changedAreas.changedAreas(vm, snapshot, diskKey, capacityBytes, changeId);
    }

    @Override
    public void registerExtension(ExtensionSpec extension) {
        activity.registerExtension(extension);
    }

    @Override
    public void setManagedBy(VmRef vm, String extensionKey, String type) {
        activity.setManagedBy(vm, extensionKey, type);
    }

    @Override
    public String createTask(VmRef vm, String taskTypeId, String initiatedBy, boolean cancelable) {
        return activity.createTask(vm, taskTypeId, initiatedBy, cancelable);
    }

    @Override
    public void taskRunning(String task) {
        activity.taskRunning(task);
    }

    @Override
    public void taskProgress(String task, int percent, String description) {
        activity.taskProgress(task, percent, description);
    }

    @Override
    public void taskFinished(String task, String error) {
        activity.taskFinished(task, error);
    }

    @Override
    public boolean taskCancelRequested(String task) {
        return activity.taskCancelRequested(task);
    }

    @Override
    public void logEvent(VmRef vm, String message) {
        activity.logEvent(vm, message);
    }

    @Override
    public void setCustomValue(VmRef vm, String field, String value) {
        activity.setCustomValue(vm, field, value);
    }

    @Override
    public byte[] download(String datacenterName, String datastorePath) {
        return files.download(datacenterName, datastorePath);
    }

    @Override
    public void upload(String datacenterName, String datastorePath, InputStream content, long length) {
        files.upload(datacenterName, datastorePath, content, length);
    }

    /** Destroys the property collectors made for task waits; the session stays open. */
    @Override
    public void close() {
        collectors.close();
    }
}
