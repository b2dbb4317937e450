package io.hotadd.agent.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.SnapshotInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What every {@link VSphere} must do, observable through the port alone: run against the yavijava adapter on
 * the simulator harness and against in-memory fakes. Subclasses provide the world (see
 * {@link VSphereContractBase}); each test cleans up what it made, so the subclass can check for leftovers.
 */
public abstract class VSphereContract extends VSphereContractBase {

    @Test
    void findsAVmByMorefInstanceUuidBiosUuidAndName() {
        VmRef vm = createVm(uniqueName("find"), List.of(16 * MIB, 8 * MIB), false);
        VmInfo info = vsphere().find(new VmSelector.ByMoref(vm));

        assertEquals(vm, vsphere().find(new VmSelector.ByInstanceUuid(info.instanceUuid())).ref());
        assertEquals(vm, vsphere().find(new VmSelector.ByBiosUuid(info.biosUuid())).ref());
        assertEquals(vm, vsphere().find(new VmSelector.ByName(info.name())).ref());
        assertEquals(info, vsphere().read(vm).orElseThrow());
    }

    @Test
    void readDescribesPlacementControllersAndDisks() {
        VmRef vm = createVm(uniqueName("read"), List.of(16 * MIB, 8 * MIB), false);
        VmInfo info = vsphere().read(vm).orElseThrow();

        assertNotNull(info.datacenter());
        assertNotNull(info.host());
        assertNotNull(info.resourcePool());
        assertNotNull(info.folder());
        assertTrue(info.vmPathName().endsWith(".vmx"), info.vmPathName());
        assertEquals(PowerState.POWERED_ON, info.powerState());
        assertFalse(info.template());
        assertFalse(info.changeTracking());
        assertTrue(info.snapshots().isEmpty());
        assertEquals(null, info.currentSnapshot());
        assertFalse(info.datastores().isEmpty());
        assertEquals(List.of(16 * MIB, 8 * MIB), info.disks().stream().map(DiskInfo::capacityBytes).toList());
        for (DiskInfo disk : info.disks()) {
            assertEquals(ControllerType.PVSCSI, info.controller(disk.controllerKey()).orElseThrow().type());
            assertEquals(DiskMode.PERSISTENT, disk.mode());
            assertEquals(DiskBacking.FLAT, disk.backing());
            assertNotNull(disk.uuid());
            assertTrue(disk.fileName().startsWith("["), disk.fileName());
            assertEquals(null, disk.parentFileName());
            assertFalse(disk.encrypted());
        }
    }

    @Test
    void findRefusesAVmThatDoesNotExistForEverySelector() {
        List<VmSelector> missing = List.of(new VmSelector.ByMoref(new VmRef("vm-404404")),
                new VmSelector.ByInstanceUuid("00000000-0000-0000-0000-000000000404"),
                new VmSelector.ByBiosUuid("00000000-0000-0000-0000-000000000405"),
                new VmSelector.ByName(uniqueName("nobody")));
        for (VmSelector selector : missing) {
            VSphereException.NotFound e = assertThrows(VSphereException.NotFound.class,
                    () -> vsphere().find(selector));
            assertTrue(e.getMessage().contains(selector.describe()), e.getMessage());
            assertFalse(e.isRetriable());
        }
        assertTrue(vsphere().read(new VmRef("vm-404404")).isEmpty());
    }

    @Test
    void findRefusesANameThatSeveralVmsShareAndListsThem() {
        String name = uniqueName("twin");
        VmRef first = createVm(name, List.of(4 * MIB), false);
        VmInfo info = vsphere().read(first).orElseThrow();
        SnapshotRef snapshot = snapshot(first, "twin");
        VmRef second = linkedClone(first, snapshot, name, otherVmFolder(), Map.of());

        VSphereException.Ambiguous e = assertThrows(VSphereException.Ambiguous.class,
                () -> vsphere().find(new VmSelector.ByName(info.name())));
        assertEquals(Set.of(first.moref(), second.moref()), Set.copyOf(e.candidates()));
        assertTrue(e.getMessage().contains(first.moref()) && e.getMessage().contains(second.moref()),
                e.getMessage());
        assertFalse(e.isRetriable());
    }

    @Test
    void activeTasksNameWhatRunsOnTheVmUntilItEnds() {
        VmRef vm = createVm(uniqueName("busy"), List.of(4 * MIB), false);
        VmRef neighbour = createVm(uniqueName("neighbour"), List.of(4 * MIB), false);
        vsphere().setChangeTracking(vm, true); // a task of our own that has ended: not active
        assertEquals(List.of(), vsphere().activeTasks(vm));
        Runnable endSnapshot = startForeignTask(vm, "VirtualMachine.createSnapshot");
        Runnable endRelocate = startForeignTask(neighbour, "VirtualMachine.relocate");
        try {
            assertEquals(List.of("VirtualMachine.createSnapshot"), vsphere().activeTasks(vm));
        } finally {
            endSnapshot.run();
            endRelocate.run();
        }
        assertEquals(List.of(), vsphere().activeTasks(vm));
    }

    @Test
    void changeTrackingCanBeSwitchedOnAndOff() {
        VmRef vm = createVm(uniqueName("cbt"), List.of(4 * MIB), false);
        vsphere().setChangeTracking(vm, true);
        assertTrue(vsphere().read(vm).orElseThrow().changeTracking());
        vsphere().setChangeTracking(vm, false);
        assertFalse(vsphere().read(vm).orElseThrow().changeTracking());
    }

    @Test
    void snapshotFreezesTheDisksWithChangeIdsAndItsRemovalIsIdempotent() {
        VmRef vm = createVm(uniqueName("snap"), List.of(8 * MIB), true);
        DiskInfo before = vsphere().read(vm).orElseThrow().disks().get(0);
        SnapshotRef snapshot = vsphere().createSnapshot(vm, "backup", "taken by the contract", false);
        VmInfo info = vsphere().read(vm).orElseThrow();

        assertEquals(snapshot, info.currentSnapshot());
        SnapshotInfo node = info.allSnapshots().get(0);
        assertEquals("backup", node.name());
        assertEquals("taken by the contract", node.description());
        assertFalse(node.quiesced());
        DiskInfo frozen = vsphere().snapshotDisks(vm, snapshot).get(0);
        assertEquals(before.key(), frozen.key());
        assertEquals(before.fileName(), frozen.fileName());
        assertEquals(before.capacityBytes(), frozen.capacityBytes());
        assertNotNull(frozen.changeId(), "CBT was on when the snapshot was taken");
        assertEquals(frozen.fileName(), info.disks().get(0).parentFileName(), "the VM now writes to a delta");

        vsphere().removeSnapshot(snapshot);
        VmInfo after = vsphere().read(vm).orElseThrow();
        assertTrue(after.snapshots().isEmpty());
        assertEquals(before.fileName(), after.disks().get(0).fileName(), "the delta was consolidated");
        vsphere().removeSnapshot(snapshot); // already gone: done
        assertThrows(VSphereException.NotFound.class, () -> vsphere().snapshotDisks(vm, snapshot));
    }

    @Test
    void changedAreasAreWhatWasWrittenSinceTheEarlierSnapshot() {
        VmRef vm = createVm(uniqueName("delta"), List.of(16 * MIB), true);
        int key = vsphere().read(vm).orElseThrow().disks().get(0).key();
        Extent early = new Extent(MIB, 64 * 1024);
        Extent late = new Extent(12 * MIB, 128 * 1024);
        writeGuest(vm, key, early.offset(), pattern(early.length(), 1));
        SnapshotRef base = snapshot(vm, "base");
        String baseChangeId = vsphere().snapshotDisks(vm, base).get(0).changeId();
        writeGuest(vm, key, late.offset(), pattern(late.length(), 2));
        SnapshotRef next = snapshot(vm, "next");

        List<Extent> all = vsphere().changedAreas(vm, base, key, 16 * MIB, ChangedBlockTracking.ALL_ALLOCATED);
        assertCovers(all, early);
        assertDisjoint(all, late);
        List<Extent> changed = vsphere().changedAreas(vm, next, key, 16 * MIB, baseChangeId);
        assertCovers(changed, late);
        assertDisjoint(changed, early);
        assertTrue(Extents.totalLength(changed) <= late.length() + 2 * changeGranularity(),
                "only the late write's blocks: " + changed);
        assertEquals(Extents.normalize(changed), changed, "sorted and merged");
    }

    @Test
    void changedAreasRejectAChangeIdFromBeforeTrackingWasResetOrAMalformedOne() {
        VmRef vm = createVm(uniqueName("reset"), List.of(4 * MIB), true);
        int key = vsphere().read(vm).orElseThrow().disks().get(0).key();
        SnapshotRef first = snapshot(vm, "first");
        String oldChangeId = vsphere().snapshotDisks(vm, first).get(0).changeId();
        vsphere().removeSnapshot(first);
        vsphere().setChangeTracking(vm, false);
        vsphere().setChangeTracking(vm, true);
        SnapshotRef second = snapshot(vm, "second");

        VSphereException.ChangeIdRejected reset = assertThrows(VSphereException.ChangeIdRejected.class,
                () -> vsphere().changedAreas(vm, second, key, 4 * MIB, oldChangeId));
        assertTrue(reset.getMessage().contains("full backup"), reset.getMessage());
        assertFalse(reset.isRetriable());
        assertThrows(VSphereException.ChangeIdRejected.class,
                () -> vsphere().changedAreas(vm, second, key, 4 * MIB, "52 not a change id"));
    }

    @Test
    void linkedCloneReadsAsChildDisksOfTheSnapshotWithItsMarkers() {
        VmRef vm = createVm(uniqueName("source"), List.of(8 * MIB, 4 * MIB), true);
        VmInfo source = vsphere().read(vm).orElseThrow();
        SnapshotRef snapshot = snapshot(vm, "for-clone");
        Set<String> frozen = vsphere().snapshotDisks(vm, snapshot).stream().map(DiskInfo::fileName)
                .collect(Collectors.toSet());
        VmRef clone = linkedClone(vm, snapshot, uniqueName("clone"), source.folder(),
                Map.of("hotadd.job", "job-17", "hotadd.role", "backup-clone"));

        VmInfo cloned = vsphere().read(clone).orElseThrow();
        assertEquals(PowerState.POWERED_OFF, cloned.powerState());
        assertFalse(cloned.template());
        assertEquals("job-17", cloned.extraConfig().get("hotadd.job"));
        assertEquals("backup-clone", cloned.extraConfig().get("hotadd.role"));
        assertEquals(frozen, cloned.disks().stream().map(DiskInfo::parentFileName).collect(Collectors.toSet()));
        assertEquals(source.disks().stream().map(DiskInfo::fileName).toList(),
                vsphere().read(vm).orElseThrow().disks().stream().map(DiskInfo::parentFileName).toList(),
                "cloning must not touch the source VM's disks");

        vsphere().destroy(clone);
        assertTrue(vsphere().read(clone).isEmpty());
        vsphere().destroy(clone); // already gone: done
    }

    @Test
    void disabledMethodsShowOnTheVmUntilTheSameSourceEnablesThem() {
        VmRef vm = createVm(uniqueName("lock"), List.of(4 * MIB), false);
        List<String> methods = List.of("RelocateVM_Task");
        vsphere().disableMethods(vm, methods, "io.hotadd.agent.contract");
        onCleanup(() -> vsphere().enableMethods(vm, methods, "io.hotadd.agent.contract"));
        assertTrue(vsphere().read(vm).orElseThrow().disabledMethods().contains("RelocateVM_Task"));

        vsphere().enableMethods(vm, methods, "io.hotadd.agent.contract");
        assertFalse(vsphere().read(vm).orElseThrow().disabledMethods().contains("RelocateVM_Task"));
        vsphere().enableMethods(new VmRef("vm-404404"), methods, "io.hotadd.agent.contract"); // VM gone: done
    }

    @Test
    void spareControllerComesWithItsDummyDiskInOneStepAndAgainIsTheSame() {
        VmInfo proxy = vsphere().read(proxy()).orElseThrow();
        int bus = proxy.controllers().stream().mapToInt(ControllerInfo::busNumber).max().orElse(-1) + 1;
        String dummy = newFileOnProxyDatastore(uniqueName("spare") + ".vmdk");

        DiskInfo disk = vsphere().addSpareController(proxy(), bus, dummy, MIB);
        assertEquals(dummy, disk.fileName());
        assertEquals(0, disk.unitNumber());
        assertEquals(MIB, disk.capacityBytes());
        assertEquals(Provisioning.THIN, disk.provisioning());
        VmInfo after = vsphere().read(proxy()).orElseThrow();
        ControllerInfo controller = after.controller(disk.controllerKey()).orElseThrow();
        assertEquals(bus, controller.busNumber());
        assertEquals(ControllerType.PVSCSI, controller.type());
        assertEquals(disk, vsphere().addSpareController(proxy(), bus, dummy, MIB), "already there: the same disk");
        assertEquals(after.disks().size(), vsphere().read(proxy()).orElseThrow().disks().size());
    }

    @Test
    void cloneDisksAttachToTheProxyAndDetachWithoutLosingTheirFiles() {
        VmRef vm = createVm(uniqueName("hotadd"), List.of(8 * MIB, 4 * MIB), true);
        VmInfo source = vsphere().read(vm).orElseThrow();
        SnapshotRef snapshot = snapshot(vm, "for-hotadd");
        VmRef clone = linkedClone(vm, snapshot, uniqueName("hotadd-clone"), source.folder(), Map.of());
        List<DiskInfo> cloneDisks = vsphere().read(clone).orElseThrow().disks();
        List<ProxyDevices.DiskAttachment> wanted = attachmentsOnProxy(cloneDisks);

        List<DiskInfo> attached = attach(wanted);
        for (int i = 0; i < cloneDisks.size(); i++) {
            assertEquals(cloneDisks.get(i).fileName(), attached.get(i).fileName());
            assertEquals(cloneDisks.get(i).uuid(), attached.get(i).uuid(), "the UUID belongs to the vmdk");
            assertEquals(DiskMode.INDEPENDENT_NONPERSISTENT, attached.get(i).mode());
            assertEquals(wanted.get(i).unitNumber(), attached.get(i).unitNumber());
        }
        assertEquals(attached, vsphere().attachDisks(proxy(), wanted), "attaching again answers the same disks");

        detach(attached);
        Set<Integer> keys = attached.stream().map(DiskInfo::key).collect(Collectors.toSet());
        assertTrue(vsphere().read(proxy()).orElseThrow().disks().stream().noneMatch(d -> keys.contains(d.key())));
        vsphere().detachDisks(proxy(), List.copyOf(keys)); // already detached: nothing to do
        assertEquals(cloneDisks, vsphere().read(clone).orElseThrow().disks(), "the clone's files are intact");
    }

    @Test
    void datastoresAreDescribedInTheOrderAskedAndAnUnknownOneIsNotFound() {
        VmRef vm = createVm(uniqueName("ds"), List.of(4 * MIB), false);
        List<String> morefs = vsphere().read(vm).orElseThrow().datastores();
        List<DatastoreInfo> datastores = vsphere().datastores(morefs);
        assertEquals(morefs, datastores.stream().map(DatastoreInfo::moref).toList());
        for (DatastoreInfo ds : datastores) {
            assertFalse(ds.name().isBlank());
            assertTrue(ds.accessible());
            assertTrue(ds.capacityBytes() >= ds.freeBytes() && ds.freeBytes() >= 0, ds.toString());
        }
        assertTrue(vsphere().datastores(List.of()).isEmpty());
        assertThrows(VSphereException.NotFound.class, () -> vsphere().datastores(List.of("datastore-404404")));
    }

    @Test
    protected void consolidateDisksSucceedsOnAVmWithNothingToConsolidate() {
        VmRef vm = createVm(uniqueName("consolidate"), List.of(4 * MIB), false);
        vsphere().consolidateDisks(vm);
        assertFalse(vsphere().read(vm).orElseThrow().consolidationNeeded());
    }
}
