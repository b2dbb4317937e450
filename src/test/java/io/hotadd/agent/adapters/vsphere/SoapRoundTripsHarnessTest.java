package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.ChangedBlockTracking;
import io.hotadd.agent.port.VSphereContractBase;
import io.hotadd.agent.port.VmOperations;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How many SOAP round trips one backup costs, counted by the client and by the harness (they must agree):
 * find the VM, read it, enable CBT, lock it against migration, snapshot, read the snapshot's disks, ask
 * for the allocated areas of each disk, linked clone, read the clone, hot-add its disks to the proxy,
 * detach them, destroy the clone, remove the snapshot, unlock. Task waits included. The proxy's layout is
 * read before counting, as the engine's slot allocator knows it already. Prints the figures
 * (bench/soap-roundtrips.sh collects them); fails above 20 + 4 per disk.
 */
class SoapRoundTripsHarnessTest {

    private static final long MIB = 1024 * 1024;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessWorld.PROXY));

    private static HarnessWorld world;

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

    @ParameterizedTest(name = "{0} disk(s)")
    @ValueSource(ints = {1, 4})
    void aBackupStaysWithinTheRoundTripBudget(int diskCount) {
        VmRef created = world.createVm("roundtrips-" + diskCount, Collections.nCopies(diskCount, 8 * MIB), false);
        String instanceUuid = world.vsphere.read(created).orElseThrow().instanceUuid();
        VmInfo proxy = world.vsphere.read(world.proxy()).orElseThrow();
        world.control().resetCalls();
        long before = world.session.soapRoundTrips();

        backUp(instanceUuid, proxy);

        long roundTrips = world.session.soapRoundTrips() - before;
        Map<String, Long> byMethod = new TreeMap<>(world.control().calls());
        long budget = 20 + 4L * diskCount;
        System.out.printf("SOAP round trips, backup of a %d-disk VM: %d (budget %d) %s%n", diskCount, roundTrips,
                budget, byMethod);
        assertEquals(byMethod.values().stream().mapToLong(Long::longValue).sum(), roundTrips,
                "the client and the harness count the same calls");
        assertTrue(roundTrips <= budget, roundTrips + " round trips for " + diskCount + " disk(s): " + byMethod);
        world.assertClean();
    }

    private static void backUp(String instanceUuid, VmInfo proxy) {
        VmRef vm = world.vsphere.find(new VmSelector.ByInstanceUuid(instanceUuid)).ref();
        VmInfo info = world.vsphere.read(vm).orElseThrow();
        world.vsphere.setChangeTracking(vm, true);
        world.vsphere.disableMethods(vm, List.of("RelocateVM_Task"), "io.hotadd.agent");
        SnapshotRef snapshot = world.vsphere.createSnapshot(vm, "hotadd", "backup", false);
        for (DiskInfo disk : world.vsphere.snapshotDisks(vm, snapshot)) {
            world.vsphere.changedAreas(vm, snapshot, disk.key(), disk.capacityBytes(),
                    ChangedBlockTracking.ALL_ALLOCATED);
        }
        VmRef clone = world.vsphere.createLinkedClone(vm, snapshot, new VmOperations.CloneSpec(info.name()
                + "-hotadd", info.folder(), info.resourcePool(), "HotAdd backup clone", Map.of("hotadd.job", "1")));
        List<DiskInfo> cloneDisks = world.vsphere.read(clone).orElseThrow().disks();
        List<DiskInfo> attached = world.vsphere.attachDisks(proxy.ref(),
                VSphereContractBase.attachmentsAtFreeUnits(proxy, cloneDisks));
        attached.forEach(world::releaseInGuest); // the disks were read here
        world.vsphere.detachDisks(proxy.ref(), attached.stream().map(DiskInfo::key).toList());
        world.vsphere.destroy(clone);
        world.vsphere.removeSnapshot(snapshot);
        world.vsphere.enableMethods(vm, List.of("RelocateVM_Task"), "io.hotadd.agent");
    }
}
