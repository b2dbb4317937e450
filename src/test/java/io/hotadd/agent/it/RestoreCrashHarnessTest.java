package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.RestoreTarget;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore dies in the middle of writing (its writer is frozen after its first extent, so the job makes no
 * further call, as when the agent is killed with -9); recovery from the journal, as at the next start, must
 * leave the harness clean: no disk on the proxy, PowerOnVM_Task and the other methods enabled, change tracking
 * back on for an existing VM, and no half-created new VM. The frozen job is released afterwards; its own
 * cleanup then finds everything already done.
 */
class RestoreCrashHarnessTest {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY)
            .cbtBlock(64 << 10));

    @TempDir
    static Path repoDir;
    @TempDir
    static Path exports;

    private static RestoreHarness h;
    private static final ExecutorService JOBS = Executors.newSingleThreadExecutor();

    @BeforeAll
    static void start() {
        h = new RestoreHarness(VCSIM.vcsim(), repoDir, exports);
    }

    @AfterAll
    static void stop() {
        JOBS.shutdownNow();
        h.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations(), "ordering violations");
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static String backedUp(String name) {
        Vm vm = control().createVm(new NewVm(name, null, null, true, true, List.of(NewDisk.thin(16 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), 0, 6 * MIB, "random:" + name);
        return h.engine.backup("b-" + name, name, BackupMode.FULL, JobObserver.NONE).restorePointId();
    }

    /** Freezes the restore's writer on its first written extent until {@link #release}, then fails it. */
    private static final class Freezer implements JobObserver {
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);
        final AtomicBoolean froze = new AtomicBoolean();

        @Override
        public void phase(JobPhase phase) {
        }

        @Override
        public void disksPlanned(List<DiskProgress> disks) {
        }

        @Override
        public void bytesRead(int diskKey, long bytes) {
        }

        @Override
        public void warning(String message) {
        }

        @Override
        public void bytesWritten(int diskKey, long bytes) {
            if (froze.compareAndSet(false, true)) {
                writing.countDown();
                try {
                    released.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the frozen restore was released after recovery");
            }
        }
    }

    private static Future<?> frozenMidWrite(String jobId, String point, RestoreTarget target, Freezer freezer)
            throws InterruptedException {
        Future<?> job = JOBS.submit(() -> h.engine.restore(jobId, point, target, freezer));
        assertTrue(freezer.writing.await(120, TimeUnit.SECONDS), "the restore reached its writes");
        assertFalse(control().leftovers().clean(), "mid-write, the disks are on the proxy");
        return job;
    }

    private static CrashRecovery.Report recover() {
        return new CrashRecovery(h.engine.workflow, h.engine.vsphere, a -> { })
                .run(CrashRecovery.Busy.nothing(), false);
    }

    private static void releaseAndJoin(Freezer freezer, Future<?> job) {
        freezer.released.countDown();
        ExecutionException e = assertThrows(ExecutionException.class, () -> job.get(120, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("frozen restore"), e.getCause().toString());
    }

    @Test
    void anExistingVmRestoreKilledMidWriteIsTakenBackByRecovery() throws Exception {
        String point = backedUp("src");
        int key = control().vm("src").disks().get(0).key();
        Vm dst = control().createVm(new NewVm("dst", null, null, true, false, List.of(NewDisk.thin(16 * MIB))));
        int dstKey = dst.disks().get(0).key();
        Freezer freezer = new Freezer();
        Future<?> job = frozenMidWrite("r-dst", point, new RestoreTarget.ExistingVm(new VmSelector.ByName("dst"),
                List.of(new RestoreTarget.DiskMapping(key, dstKey))), freezer);
        assertFalse(control().vm("dst").cbt(), "tracking is off while the disk is overwritten");

        CrashRecovery.Report r = recover();

        assertTrue(r.clean(), r.actions().toString());
        assertTrue(control().leftovers().clean(), "leftovers after recovery: " + control().leftovers()
                + "; actions " + r.actions());
        assertTrue(control().vm("dst").cbt(), "change tracking back on");
        assertEquals(List.of("release-devices", "detach-disks", "enable-change-tracking", "enable-methods"),
                r.actions().stream().filter(a -> a.origin().equals("journal")).map(CleanupAction::kind).toList());
        assertTrue(h.engine.workflow.journal().unfinished().isEmpty());
        releaseAndJoin(freezer, job);
    }

    @Test
    void aNewVmRestoreKilledMidWriteLeavesNoHalfCreatedVm() throws Exception {
        String point = backedUp("app");
        Freezer freezer = new Freezer();
        Future<?> job = frozenMidWrite("r-app", point, new RestoreTarget.NewVm("app-restored", Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), false), freezer);
        assertTrue(names().contains("app-restored"));

        CrashRecovery.Report r = recover();

        assertTrue(r.clean(), r.actions().toString());
        assertTrue(control().leftovers().clean(), "leftovers after recovery: " + control().leftovers());
        assertFalse(names().contains("app-restored"), "no half-created VM; actions " + r.actions());
        assertEquals(List.of("release-devices", "detach-disks", "destroy-restored-vm"),
                r.actions().stream().filter(a -> a.origin().equals("journal")).map(CleanupAction::kind).toList());
        releaseAndJoin(freezer, job);
        assertFalse(names().contains("app-restored"));
    }

    private static List<String> names() {
        return control().inventory().vms().stream().map(Vm::name).toList();
    }
}
