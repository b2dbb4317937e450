package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.fakes.MemoryRepository;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The SOAP round trips of the production backup workflow (pre-flight, CBT, method lock, snapshot, config
 * capture, changed areas, linked clone, proxy layout check, hot-add, device discovery, ordered release),
 * counted by the client and by the harness, which must agree. The adapter's goal is 20 + 4 per disk, task
 * waits included; the workflow meets it from 4 disks up (1 round trip per extra disk) but not for 1-3 disks:
 * its fixed part is 31 (bench/README.md lists them). The test fails when the count grows past that, and
 * prints the goal beside the figure. The harness finishes tasks before answering; a real vCenter's task
 * still running at the first read costs three more round trips (filter, WaitForUpdatesEx, filter destroyed).
 */
class WorkflowRoundTripsHarnessTest {
    private static final long MIB = 1 << 20;
    /** Per backup, whatever the disk count: 2026-12-07, after the proxy and the clone stopped being searched. */
    private static final long FIXED_ROUND_TRIPS = 31;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY));

    private static HarnessEngine engine;

    @BeforeAll
    static void start() {
        engine = new HarnessEngine(VCSIM.vcsim(), new MemoryRepository(1 << 20));
        engine.backup("warm-up", vm("roundtrips-warm-up", 1).name(), BackupMode.FULL); // builds the spare controllers
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static Vm vm(String name, int disks) {
        return VCSIM.control().createVm(new NewVm(name, null, null, true, true,
                Collections.nCopies(disks, NewDisk.thin(8 * MIB))));
    }

    @ParameterizedTest(name = "{0} disk(s)")
    @ValueSource(ints = {1, 4})
    void aFullBackupCostsOneRoundTripPerDiskOverItsFixedPart(int diskCount) {
        Vm vm = vm("roundtrips-" + diskCount, diskCount);
        VCSIM.control().resetCalls();
        long before = engine.vsphere.soapRoundTrips();

        engine.backup("roundtrips-" + diskCount, new VmSelector.ByInstanceUuid(vm.instanceUuid()), BackupMode.FULL,
                JobObserver.NONE);

        long roundTrips = engine.vsphere.soapRoundTrips() - before;
        Map<String, Long> byMethod = new TreeMap<>(VCSIM.control().calls());
        long goal = 20 + 4L * diskCount;
        long measured = FIXED_ROUND_TRIPS + diskCount;
        System.out.printf("SOAP round trips, engine backup of a %d-disk VM: %d (goal %d, %s) %s%n", diskCount,
                roundTrips, goal, roundTrips <= goal ? "met" : "missed", byMethod);
        assertEquals(byMethod.values().stream().mapToLong(Long::longValue).sum(), roundTrips,
                "the client and the harness count the same calls");
        assertTrue(roundTrips <= measured, roundTrips + " round trips for " + diskCount + " disk(s), more than the "
                + measured + " measured when this test was written: " + byMethod);
        assertTrue(VCSIM.control().leftovers().clean(), "leftovers: " + VCSIM.control().leftovers());
    }
}
