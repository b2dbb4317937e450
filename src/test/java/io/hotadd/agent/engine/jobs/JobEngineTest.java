package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobDisk;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.PreflightRefused;
import io.hotadd.agent.engine.VmNotFound;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.fakes.MemoryJobStore;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobEngineTest {
    private final MemoryJobStore store = new MemoryJobStore();
    private final JobEngineFixture f = new JobEngineFixture(store, 4);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aBackupRunsToItsRestorePointWithFullProgressAndEveryStateStored() {
        FakeVm vm = f.env.vmWithData("web", 2, 4);
        Submitted s = f.backup(vm);
        assertEquals(JobState.QUEUED, s.job().state());
        assertEquals(vm.moref, s.job().target().moref());

        Job done = f.awaitEnd(s.job().id());
        assertEquals(JobState.SUCCEEDED, done.state(), () -> String.valueOf(done.failure()));
        assertNotNull(done.restorePointId());
        assertTrue(f.env.repo.find(done.restorePointId()).isPresent());
        assertEquals(100.0, done.progress().percent());
        assertEquals(done.progress().bytesTotal(), done.progress().bytesDone());
        for (JobDisk d : done.disks()) {
            assertEquals(d.bytesToRead(), d.bytesRead(), "disk " + d.key());
        }
        List<JobState> stored = store.saves().stream().filter(j -> j.id().equals(done.id())).map(Job::state)
                .distinct().toList();
        assertEquals(List.of(JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED), stored);
        assertEquals(List.of(), f.env.vc.leftovers(f.env.proxy));
    }

    @Test
    void listenersSeeEveryStateAndPhaseAndProgressWhileReading() {
        FakeVm vm = f.env.vmWithData("watched", 1, 4);
        java.util.List<JobListener.Change> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<Long> done = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.engine.listenToAll((job, change) -> {
            seen.add(change);
            if (change == JobListener.Change.PROGRESS) {
                done.add(job.progress().bytesDone());
            }
        });
        Job end = f.awaitEnd(f.backup(vm).job().id());
        assertEquals(JobState.SUCCEEDED, end.state());
        assertEquals(JobListener.Change.STATE, seen.get(0));
        assertEquals(JobListener.Change.STATE, seen.get(seen.size() - 1));
        assertTrue(seen.contains(JobListener.Change.PHASE), seen.toString());
        assertTrue(done.stream().anyMatch(b -> b > 0), "progress while reading: " + done);
    }

    @Test
    void anUnknownVmIsRefusedWithNothingCreated() {
        assertThrows(VmNotFound.class, () -> f.engine.submitBackup(new VmSelector.ByName("nope"),
                JobEngineFixture.request(BackupMode.AUTO, null, "fp")));
        assertEquals(List.of(), store.saves());
        assertEquals(List.of(), f.env.changingCalls());
    }

    @Test
    void aVmThatFailsPreflightIsRefusedWithNothingCreated() {
        FakeVm vm = f.env.vmWithData("legacy", 1, 1);
        vm.controllers.add(new ControllerInfo(200, 0, ControllerType.IDE));
        f.env.vc.addDisk(vm, 200, 0, FakeVmSizes.MIB);
        PreflightRefused e = assertThrows(PreflightRefused.class, () -> f.backup(vm));
        assertEquals("non-scsi-disk", e.reason());
        assertEquals(List.of(), store.saves());
        assertEquals(List.of(), f.env.changingCalls());
    }

    @Test
    void aRetryWithTheSameKeyGetsTheSameJobAndAnotherBodyIsAConflict() {
        FakeVm vm = f.env.vmWithData("web", 1, 1);
        VmSelector sel = new VmSelector.ByName(vm.name);
        Submitted first = f.engine.submitBackup(sel, JobEngineFixture.request(BackupMode.AUTO, "k1", "fp-a"));
        Submitted again = f.engine.submitBackup(sel, JobEngineFixture.request(BackupMode.AUTO, "k1", "fp-a"));
        assertEquals(first.job().id(), again.job().id());
        assertTrue(again.replayed());
        IdempotencyConflict e = assertThrows(IdempotencyConflict.class,
                () -> f.engine.submitBackup(sel, JobEngineFixture.request(BackupMode.FULL, "k1", "fp-b")));
        assertFalse(e.inFlight());
        f.awaitEnd(first.job().id());
    }

    @Test
    void aKeyWhoseRequestWasRefusedIsFreeForTheCorrectedRequest() {
        VmSelector missing = new VmSelector.ByName("later");
        assertThrows(VmNotFound.class, () -> f.engine.submitBackup(missing,
                JobEngineFixture.request(BackupMode.AUTO, "k2", "fp-a")));
        f.env.vmWithData("later", 1, 1);
        Submitted s = f.engine.submitBackup(missing, JobEngineFixture.request(BackupMode.AUTO, "k2", "fp-a"));
        assertFalse(s.replayed());
        f.awaitEnd(s.job().id());
    }

    @Test
    void twoJobsOnOneVmNeverRunAtOnce() {
        FakeVm vm = f.env.vmWithData("web", 1, 2);
        f.holdReads();
        Submitted first = f.backup(vm);
        Submitted second = f.backup(vm);
        f.awaitJob(first.job().id(), j -> j.phase() == io.hotadd.agent.domain.JobPhase.READING);
        assertEquals(JobState.QUEUED, f.engine.get(second.job().id()).state(), "the second waits for the VM");
        f.releaseReads();
        Job a = f.awaitEnd(first.job().id());
        Job b = f.awaitEnd(second.job().id());
        assertEquals(JobState.SUCCEEDED, a.state());
        assertEquals(JobState.SUCCEEDED, b.state());
        assertFalse(b.startedAt().isBefore(a.finishedAt()), "the second started after the first ended");
    }

    @Test
    void cancellingARunningBackupStopsItsReadsAndCleansUp() throws Exception {
        FakeVm vm = f.env.vmWithData("big", 1, 16);
        for (int i = 1; i < 16; i++) {
            f.env.vc.guestWrite(vm, 2000, i * FakeVmSizes.MIB, new byte[(int) FakeVmSizes.MIB - 1]);
        }
        f.holdReads();
        Submitted s = f.backup(vm);
        assertTrue(f.aReadStarted.await(10, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(JobState.CANCELLING, f.engine.cancel(s.job().id()).state());
        assertEquals(JobState.CANCELLING, f.engine.cancel(s.job().id()).state(), "a second cancel changes nothing");
        f.releaseReads();
        Job end = f.awaitEnd(s.job().id());
        assertEquals(JobState.CANCELLED, end.state(), () -> String.valueOf(end.failure()));
        assertEquals(JobFailures.CANCELLED, end.failure().type());
        assertTrue(end.progress().bytesDone() < end.progress().bytesTotal(), "reading stopped early: " + end.progress());
        assertEquals(List.of(), f.env.vc.leftovers(f.env.proxy));
        assertEquals(List.of(), f.env.vc.violations());
        assertThrows(JobAlreadyFinished.class, () -> f.engine.cancel(s.job().id()));
    }

    @Test
    void cancellingAQueuedJobEndsItAtOnce() {
        FakeVm vm = f.env.vmWithData("web", 1, 1);
        f.holdReads();
        Submitted running = f.backup(vm);
        Submitted waiting = f.backup(vm);
        Job cancelled = f.engine.cancel(waiting.job().id());
        assertEquals(JobState.CANCELLED, cancelled.state());
        assertEquals(null, cancelled.startedAt());
        f.releaseReads();
        assertEquals(JobState.SUCCEEDED, f.awaitEnd(running.job().id()).state());
    }

    @Test
    void unknownJobsAreNotFound() {
        assertThrows(JobNotFound.class, () -> f.engine.get("nope"));
        assertThrows(JobNotFound.class, () -> f.engine.cancel("nope"));
    }

    @Test
    void nothingIsAcceptedBeforeStartupHasFinished() {
        f.readiness.down(io.hotadd.agent.engine.Readiness.Condition.STARTUP_FINISHED, "settling old jobs");
        FakeVm vm = f.env.vmWithData("web", 1, 1);
        EngineNotReady e = assertThrows(EngineNotReady.class, () -> f.backup(vm));
        assertTrue(e.getMessage().contains("settling old jobs"), e.getMessage());
        assertTrue(e.isRetriable());
    }

    @Test
    void verificationReportsDamageAsAFailedJob() {
        Submitted ok = f.engine.submitVerify(JobEngineFixture.request(null, null, "v"));
        Job clean = f.awaitEnd(ok.job().id());
        assertEquals(JobState.SUCCEEDED, clean.state());
        assertTrue(clean.check().ok());

        f.env.repo.damage("pack 1f2e: checksum mismatch; restore points rp-1 affected");
        Job damaged = f.awaitEnd(f.engine.submitVerify(JobEngineFixture.request(null, null, "v")).job().id());
        assertEquals(JobState.FAILED, damaged.state());
        assertEquals(JobFailures.REPOSITORY_DAMAGED, damaged.failure().type());
        assertEquals(1, damaged.check().problems().size());
    }

    /** Sizes shared by these tests. */
    static final class FakeVmSizes {
        static final long MIB = 1 << 20;
    }
}
