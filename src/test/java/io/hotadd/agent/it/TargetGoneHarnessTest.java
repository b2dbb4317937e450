package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.CleanupIncomplete;
import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.fakes.MemoryRepository;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.VSphereException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The backup's target goes away in the middle of the job: the job fails with an error that says so, the
 * proxy gets its disks back, and nothing is retried without end.
 */
class TargetGoneHarnessTest {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY));

    private static final List<Duration> SLEPT = Collections.synchronizedList(new ArrayList<>());
    private static HarnessEngine engine;
    private static final ExecutorService JOBS = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() {
        engine = new HarnessEngine(VCSIM.vcsim(), new MemoryRepository(64 << 10), SLEPT::add);
    }

    @AfterAll
    static void stop() {
        JOBS.shutdownNow();
        engine.close();
    }

    @AfterEach
    void reset() {
        control().clearFaults();
        SLEPT.clear();
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static Vm vm(String name) {
        Vm vm = control().createVm(new NewVm(name, null, null, true, false, List.of(NewDisk.thin(8 * MIB),
                NewDisk.thin(4 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), 0, 2 * MIB, "random:" + name);
        return vm;
    }

    private static Future<?> backupInBackground(String job, String vm) {
        return JOBS.submit(() -> engine.backup(job, vm, BackupMode.FULL, JobObserver.NONE));
    }

    private static void awaitHolding(int rule) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (control().holding(rule) == 0) {
            assertTrue(System.nanoTime() < deadline, "the job never reached the held call");
            Thread.sleep(20);
        }
    }

    private static Throwable failureOf(Future<?> job) throws InterruptedException {
        try {
            job.get();
            throw new AssertionError("the backup succeeded although its VM is gone");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void vmDeletedWhileItsDisksAreOnTheProxyFailsTheJobAndGivesTheDisksBack() throws Exception {
        Vm vm = vm("doomed");
        int hold = control().hold("QueryChangedDiskAreas", null, 1);
        Future<?> job = backupInBackground("gone-1", "doomed");
        awaitHolding(hold);
        assertFalse(control().leftovers().proxyDisks().isEmpty(), "the clone's disks are on the proxy now");
        engine.vsphere.destroy(new VmRef(vm.moref()));
        control().resetCalls();
        control().releaseFault(hold);

        Throwable failure = failureOf(job);
        assertTrue(failure instanceof VSphereException.NotFound, failure.toString());
        assertTrue(failure.getMessage().contains(vm.moref()), "names the VM: " + failure.getMessage());
        assertEquals(List.of(), Arrays.asList(failure.getSuppressed()), "cleanup completed");
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations());
        assertTrue(control().calls().getOrDefault("QueryChangedDiskAreas", 0L) <= 2, "no retry storm: "
                + control().calls());
        assertEquals(0L, control().calls().getOrDefault("RemoveSnapshot_Task", 0L), "nothing to remove on a"
                + " VM that is gone: " + control().calls());
    }

    @Test
    void hostDownMidJobFailsTheJobDetachesTheDisksRetriesBoundedAndRecoveryFinishesLater() throws Exception {
        Vm vm = vm("stranded");
        int hold = control().hold("QueryChangedDiskAreas", null, 1);
        Future<?> job = backupInBackground("gone-2", "stranded");
        awaitHolding(hold);
        // the target's host stops answering: every call that needs it fails as vCenter then answers
        for (String method : List.of("QueryChangedDiskAreas", "RemoveSnapshot_Task", "ConsolidateVMDisks_Task")) {
            control().addFault(new FaultRule(null, method, null, 0, "fault", "HostNotConnected",
                    "host DC0_H0 is not responding", method.endsWith("_Task") ? true : null, null, null, null));
        }
        control().resetCalls();
        control().releaseFault(hold);

        Throwable failure = failureOf(job);
        assertTrue(failure.getMessage().contains("not responding") || failure.getMessage().contains("HostNotConnected"),
                failure.getMessage());
        List<Throwable> cleanup = Arrays.asList(failure.getSuppressed());
        assertTrue(cleanup.stream().anyMatch(s -> s instanceof CleanupIncomplete
                && s.getMessage().contains("snapshot")), "the snapshot left behind is reported: " + cleanup);
        var left = control().leftovers();
        assertEquals(List.of(), left.proxyDisks(), "the proxy got its disks back");
        assertEquals(List.of(), left.clones(), "the clone is destroyed");
        assertEquals(1, left.snapshots().size(), "the snapshot waits for the host: " + left);
        assertEquals(1, left.disabledMethods().size(), "and so do the disabled methods (enabled only after the"
                + " snapshot is gone): " + left);
        assertEquals(List.of(), control().violations());
        long removals = control().calls().getOrDefault("RemoveSnapshot_Task", 0L);
        assertTrue(removals >= 1 && removals <= 4, "bounded retries (1 + 3): " + removals);
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30)), SLEPT);

        control().clearFaults(); // the host is back
        CrashRecovery.Report r = new CrashRecovery(engine.workflow, engine.vsphere, a -> { })
                .run(CrashRecovery.Busy.nothing(), false);
        assertTrue(r.clean(), r.actions().toString());
        assertTrue(control().leftovers().clean(), "after recovery: " + control().leftovers());
        assertEquals(List.of(), control().violations());
    }
}
