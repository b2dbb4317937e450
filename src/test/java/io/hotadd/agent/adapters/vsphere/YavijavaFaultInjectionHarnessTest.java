package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.ChangedBlockTracking;
import io.hotadd.agent.port.ProxyDevices;
import io.hotadd.agent.port.VSphereContractBase;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fault injected by the harness (POST /faults) at every vSphere operation of the adapter: each surfaces as
 * the typed error the engine acts on, removals of what is gone count as done, a lost answer to a hot-add is
 * recovered, and nothing is left behind.
 */
class YavijavaFaultInjectionHarnessTest {

    private static final long MIB = 1024 * 1024;
    private static final AtomicInteger NAMES = new AtomicInteger();

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessWorld.PROXY));

    private static HarnessWorld world;
    private final Deque<Runnable> cleanup = new ArrayDeque<>();

    @BeforeAll
    static void connect() {
        world = HarnessWorld.open(VCSIM.vcsim(), VSphereAdapterOptions.defaults());
    }

    @AfterAll
    static void disconnect() {
        if (world != null) {
            world.close();
        }
    }

    @AfterEach
    void cleanUpAndCheckLeftovers() {
        world.control().clearFaults();
        while (!cleanup.isEmpty()) {
            cleanup.pop().run();
        }
        world.assertClean();
    }

    private VmRef vm(boolean cbt) {
        return world.createVm("faults-" + NAMES.incrementAndGet(), List.of(4 * MIB), cbt);
    }

    private SnapshotRef snapshot(VmRef vm) {
        SnapshotRef snapshot = world.vsphere.createSnapshot(vm, "faults", "", false);
        cleanup.push(() -> world.vsphere.removeSnapshot(snapshot));
        return snapshot;
    }

    private VmRef clone(VmRef vm, SnapshotRef snapshot) {
        VmInfo info = world.vsphere.read(vm).orElseThrow();
        VmRef clone = world.vsphere.createLinkedClone(vm, snapshot, new VmOperations.CloneSpec("faults-clone-"
                + NAMES.incrementAndGet(), info.folder(), info.resourcePool(), "", Map.of()));
        cleanup.push(() -> world.vsphere.destroy(clone));
        return clone;
    }

    /** Injects {@code fault} on the next call of {@code method} (on {@code object} if given). */
    private static void inject(String method, String fault, boolean inTask, String object) {
        FaultRule rule = new FaultRule(null, method, object, 1, "fault", fault, "injected " + fault, inTask ? true
                : null, null, null, null);
        world.control().addFault(rule);
    }

    /** Runs {@code operation} expecting {@code type}, and checks the injected rule really fired. */
    private static <T extends VSphereException> T expect(Class<T> type, Executable operation) {
        T e = assertThrows(type, operation);
        List<FaultRule> rules = world.control().faults();
        assertTrue(rules.stream().allMatch(r -> r.hits() != null && r.hits() == 1), "rules: " + rules);
        return e;
    }

    @Test
    void readingAVmWithoutThePrivilegeIsNoPermission() {
        VmRef vm = vm(false);
        inject("RetrievePropertiesEx", "NoPermission", false, null);
        VSphereException.NoPermission e = expect(VSphereException.NoPermission.class, () -> world.vsphere.read(vm));
        assertTrue(e.getMessage().contains(vm.moref()), e.getMessage());
        assertEquals("injected NoPermission", e.vCenterMessage().orElseThrow());
    }

    @Test
    void findByUuidOrNameSurfaceTheirFaults() {
        VmInfo info = world.vsphere.read(vm(false)).orElseThrow();
        inject("FindByUuid", "HostCommunication", false, null);
        assertTrue(expect(VSphereException.Fault.class,
                () -> world.vsphere.find(new VmSelector.ByInstanceUuid(info.instanceUuid()))).isRetriable());
        world.control().clearFaults();
        inject("CreateContainerView", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.find(new VmSelector.ByName(info.name())));
    }

    @Test
    void snapshotDisksDatastoresAndActiveTasksSurfaceTheirFaults() {
        VmRef vm = vm(false);
        SnapshotRef snapshot = snapshot(vm);
        List<String> datastores = world.vsphere.read(vm).orElseThrow().datastores();
        inject("RetrievePropertiesEx", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.snapshotDisks(vm, snapshot));
        world.control().clearFaults();
        inject("RetrievePropertiesEx", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.datastores(datastores));
        world.control().clearFaults();
        inject("RetrievePropertiesEx", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.activeTasks(vm));
    }

    @Test
    void aReconfigurationTaskThatFailsIsInvalidStateNamingTheVm() {
        VmRef vm = vm(false);
        inject("ReconfigVM_Task", "InvalidState", true, vm.moref());
        VSphereException.InvalidState e = expect(VSphereException.InvalidState.class,
                () -> world.vsphere.setChangeTracking(vm, true));
        assertTrue(e.getMessage().contains("enable changed block tracking on VirtualMachine:" + vm.moref()),
                e.getMessage());
        assertFalse(world.vsphere.read(vm).orElseThrow().changeTracking());
    }

    @Test
    void aLockedFileDuringASnapshotIsRetriableAndLeavesNoSnapshot() {
        VmRef vm = vm(true);
        inject("CreateSnapshot_Task", "FileLocked", true, vm.moref());
        assertTrue(expect(VSphereException.FileLocked.class,
                () -> world.vsphere.createSnapshot(vm, "locked", "", false)).isRetriable());
        assertTrue(world.vsphere.read(vm).orElseThrow().snapshots().isEmpty());
    }

    @Test
    void snapshotRemovalFailsTypedWhileBusyAndIsDoneWhenTheSnapshotIsGone() {
        VmRef vm = vm(false);
        SnapshotRef snapshot = snapshot(vm);
        inject("RemoveSnapshot_Task", "TaskInProgress", false, snapshot.moref());
        assertTrue(expect(VSphereException.TaskInProgress.class, () -> world.vsphere.removeSnapshot(snapshot))
                .isRetriable());
        world.control().clearFaults();
        inject("RemoveSnapshot_Task", "ManagedObjectNotFound", true, snapshot.moref());
        world.vsphere.removeSnapshot(snapshot); // vCenter says it is gone: done
        assertEquals(1, world.control().faults().get(0).hits());
    }

    @Test
    void consolidationSurfacesItsFault() {
        VmRef vm = vm(false);
        inject("ConsolidateVMDisks_Task", "InvalidState", false, vm.moref());
        expect(VSphereException.InvalidState.class, () -> world.vsphere.consolidateDisks(vm));
    }

    @Test
    void aFailedCloneLeavesNoCloneAndAFailedDestroyCanBeRunAgain() {
        VmRef vm = vm(false);
        SnapshotRef snapshot = snapshot(vm);
        inject("CloneVM_Task", "InvalidState", true, vm.moref());
        expect(VSphereException.InvalidState.class, () -> clone(vm, snapshot));
        world.control().clearFaults();
        VmRef clone = clone(vm, snapshot);
        inject("Destroy_Task", "InvalidState", true, clone.moref());
        expect(VSphereException.InvalidState.class, () -> world.vsphere.destroy(clone));
        world.control().clearFaults();
        inject("Destroy_Task", "ManagedObjectNotFound", false, clone.moref());
        world.vsphere.destroy(clone); // gone says vCenter: done (the cleanup destroys it for real)
    }

    @Test
    void disablingAndEnablingMethodsSurfaceTheirFaults() {
        VmRef vm = vm(false);
        List<String> methods = List.of("RelocateVM_Task");
        inject("DisableMethods", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.disableMethods(vm, methods, "faults"));
        world.control().clearFaults();
        world.vsphere.disableMethods(vm, methods, "faults");
        cleanup.push(() -> world.vsphere.enableMethods(vm, methods, "faults"));
        inject("EnableMethods", "NoPermission", false, null);
        expect(VSphereException.NoPermission.class, () -> world.vsphere.enableMethods(vm, methods, "faults"));
    }

    @Test
    void aRefusedSpareControllerLeavesTheProxyAsItWas() {
        VmInfo before = world.vsphere.read(world.proxy()).orElseThrow();
        inject("ReconfigVM_Task", "InvalidDeviceSpec", true, world.proxy().moref());
        VSphereException.Fault e = expect(VSphereException.Fault.class, () -> world.vsphere.addSpareController(
                world.proxy(), before.controllers().size(), world.newFileOnProxyDatastore("refused.vmdk"), MIB));
        assertEquals("InvalidDeviceSpec", e.faultType());
        assertEquals(before.controllers(), world.vsphere.read(world.proxy()).orElseThrow().controllers());
    }

    @Test
    void hotAddSurvivesALostAnswerAndFailsTypedOnALockedFile() {
        VmRef vm = vm(false);
        VmRef clone = clone(vm, snapshot(vm));
        List<DiskInfo> disks = world.vsphere.read(clone).orElseThrow().disks();
        List<ProxyDevices.DiskAttachment> wanted = VSphereContractBase.attachmentsAtFreeUnits(
                world.vsphere.read(world.proxy()).orElseThrow(), disks);
        inject("ReconfigVM_Task", "FileLocked", true, world.proxy().moref());
        expect(VSphereException.FileLocked.class, () -> world.vsphere.attachDisks(world.proxy(), wanted));
        world.control().clearFaults();

        world.control().addFault(new FaultRule(null, "ReconfigVM_Task", world.proxy().moref(), 1, "drop", null,
                null, null, null, null, null));
        List<DiskInfo> attached = world.vsphere.attachDisks(world.proxy(), wanted); // carried out, answer lost
        cleanup.push(() -> detach(attached));
        assertEquals(disks.get(0).uuid(), attached.get(0).uuid());
        assertEquals(1, world.control().faults().get(0).hits());
    }

    @Test
    void aBusyProxyRefusesTheDetachTypedAndTheDetachCanBeRunAgain() {
        VmRef vm = vm(false);
        VmRef clone = clone(vm, snapshot(vm));
        List<DiskInfo> attached = world.vsphere.attachDisks(world.proxy(), VSphereContractBase
                .attachmentsAtFreeUnits(world.vsphere.read(world.proxy()).orElseThrow(),
                        world.vsphere.read(clone).orElseThrow().disks()));
        cleanup.push(() -> detach(attached));
        attached.forEach(world::releaseInGuest);
        inject("ReconfigVM_Task", "TaskInProgress", false, world.proxy().moref());
        expect(VSphereException.TaskInProgress.class, () -> world.vsphere.detachDisks(world.proxy(),
                attached.stream().map(DiskInfo::key).toList()));
    }

    private static void detach(List<DiskInfo> attached) {
        attached.forEach(world::releaseInGuest);
        world.vsphere.detachDisks(world.proxy(), attached.stream().map(DiskInfo::key).toList());
    }

    @Test
    void changedAreasTurnAFileFaultIntoChangeIdRejectedAndKeepNotFound() {
        VmRef vm = vm(true);
        SnapshotRef snapshot = snapshot(vm);
        DiskInfo disk = world.vsphere.snapshotDisks(vm, snapshot).get(0);
        inject("QueryChangedDiskAreas", "FileFault", false, null);
        expect(VSphereException.ChangeIdRejected.class, () -> world.vsphere.changedAreas(vm, snapshot, disk.key(),
                disk.capacityBytes(), disk.changeId()));
        world.control().clearFaults();
        inject("QueryChangedDiskAreas", "ManagedObjectNotFound", false, null);
        expect(VSphereException.NotFound.class, () -> world.vsphere.changedAreas(vm, snapshot, disk.key(),
                disk.capacityBytes(), ChangedBlockTracking.ALL_ALLOCATED));
    }

    @Test
    void anExpiredSessionIsRenewedOnTheNextCall() {
        VmRef vm = vm(false);
        long logins = world.session.logins();
        world.control().expireSessions();
        assertTrue(world.vsphere.read(vm).isPresent());
        assertEquals(logins + 1, world.session.logins());
    }
}
