package io.hotadd.agent.engine.vcenter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobDisk;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobProgress;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import io.hotadd.agent.fakes.FakeVcenterActivity;
import io.hotadd.agent.fakes.MutableClock;
import io.hotadd.agent.port.OpenTasks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The job's vCenter task, events and attribute, against an in-memory vCenter, calls run in line. */
class VcenterJobTasksTest {
    private static final VmRef VM = new VmRef("vm-42");
    private final FakeVcenterActivity vc = new FakeVcenterActivity();
    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-02T03:04:05Z"));
    private final List<String> failures = new ArrayList<>();
    private final List<String> cancelled = new ArrayList<>();
    private final VcenterJobTasks tasks = new VcenterJobTasks(vc, VisibilitySettings.defaults("1.2.3"), Runnable::run,
            clock, failures::add);

    VcenterJobTasksTest() {
        tasks.cancelJobsWith(cancelled::add);
    }

    private static Job queued() {
        return Job.queued("20300102-030405-abcd", JobType.BACKUP, new JobTarget(VM.moref(), "db01", "uuid-1"),
                new JobRequest(BackupMode.INCREMENTAL, false, Map.of(), Optional.empty(), Optional.empty(), "fp"),
                Instant.parse("2030-01-02T03:04:05Z"));
    }

    private Job start() {
        Job running = queued().started(clock.instant());
        tasks.changed(running, Change.STATE);
        return running;
    }

    private static Job read(Job j, long done, long total) {
        return j.withDisks(List.of(new JobDisk(2000, "Hard disk 1", total, total, done, "*")),
                new JobProgress(total, done, 0, -1, done * 1000 / total / 10.0));
    }

    @Test
    void aSucceededBackupIsOneTaskFromStartToSuccessWithEventsAndTheLastBackupAttribute() {
        Job j = start();
        tasks.changed(j = j.inPhase(JobPhase.READING), Change.PHASE);
        tasks.changed(j = j.inPhase(JobPhase.REMOVING_SNAPSHOT), Change.PHASE);
        clock.advance(Duration.ofSeconds(30));
        tasks.changed(j = j.succeeded(clock.instant(), "rp-7", null), Change.STATE);

        FakeVcenterActivity.Task t = vc.tasksOn(VM).get(0);
        assertEquals(1, vc.tasksOn(VM).size());
        assertEquals("io.hotadd.agent.backup", t.typeId);
        assertEquals("success", t.state);
        assertEquals(100, t.progress);
        assertTrue(t.description.contains(j.id()), t.description);
        List<String> events = vc.eventsOn(VM);
        assertEquals(3, events.size(), events.toString());
        assertTrue(events.get(0).contains("started") && events.get(0).contains("hotadd-" + j.id()), events.get(0));
        assertTrue(events.get(1).contains("removing the backup snapshot hotadd-" + j.id()), events.get(1));
        assertTrue(events.get(2).contains("succeeded") && events.get(2).contains("rp-7"), events.get(2));
        assertEquals(Map.of("Last backup", "2030-01-02 03:04:35 UTC, restore point rp-7, job " + j.id()),
                vc.attributesOn(VM));
        assertEquals(List.of(), failures);
    }

    @Test
    void aRestoreToANewVmShowsNothingUntilTheVmExistsThenItsEndOnTheNewVm() {
        Job restore = Job.queued("20300102-030405-rest", JobType.RESTORE, new JobTarget(null, "db01-restored", null),
                new JobRequest(BackupMode.INCREMENTAL, false, Map.of(), Optional.empty(), Optional.empty(), "fp"),
                clock.instant()).started(clock.instant());
        tasks.changed(restore, Change.STATE);
        tasks.changed(restore = restore.inPhase(JobPhase.READING), Change.PHASE);
        VmRef created = new VmRef("vm-77");
        tasks.changed(restore.withTarget(new JobTarget(created.moref(), "db01-restored", null))
                .succeeded(clock.instant(), null, null), Change.STATE);

        assertEquals(List.of(), vc.tasksOn(created), "no task: the VM did not exist when the job started");
        List<String> events = vc.eventsOn(created);
        assertEquals(1, events.size(), events.toString());
        assertTrue(events.get(0).contains("succeeded"), events.get(0));
        assertEquals(Map.of(), vc.attributesOn(created), "a restore sets no Last backup attribute");
        assertEquals(List.of(), failures);
    }

    @Test
    void progressGoesToVcenterAtMostEveryIntervalUnlessItMovedAStep() {
        Job j = start().inPhase(JobPhase.READING);
        tasks.changed(j, Change.PHASE);
        long total = 1000;
        for (int done = 1; done <= 100; done++) { // 0.1 % steps, 100 ms apart: 10 s of reading up to 10 %
            clock.advance(Duration.ofMillis(100));
            tasks.changed(read(j, done, total), Change.PROGRESS);
        }
        List<Integer> sent = vc.tasksOn(VM).get(0).progressUpdates;
        // 0 at start and at the phase, then one update per 5 s at most: at 5 s (5 %) and 10 s (10 %)
        assertEquals(List.of(0, 0, 5, 10), sent);
        for (int done = 150; done <= 1000; done += 50) { // fast: 5 % steps with no time passing
            tasks.changed(read(j, done, total), Change.PROGRESS);
        }
        assertEquals(22, vc.tasksOn(VM).get(0).progressUpdates.size(), "one update per 5 % step");
        assertEquals(99, vc.tasksOn(VM).get(0).progress, "100 % only when the job succeeded");
    }

    @Test
    void aFailedJobEndsItsTaskInErrorWithTheJobsMessageAndSetsNoAttribute() {
        Job j = start();
        JobFailure why = new JobFailure("vsphere/FileLocked", "A file is locked",
                "The disk of VM 'db01' is locked by host esx3; wait for its other backup to end.", true);
        tasks.changed(j.ended(JobState.FAILED, clock.instant(), why), Change.STATE);
        FakeVcenterActivity.Task t = vc.tasksOn(VM).get(0);
        assertEquals("error", t.state);
        assertEquals("A file is locked: " + why.detail(), t.error);
        assertTrue(vc.eventsOn(VM).get(1).contains("failed") && vc.eventsOn(VM).get(1).contains(why.detail()));
        assertEquals(Map.of(), vc.attributesOn(VM));
    }

    @Test
    void aCancelAskedInVcenterCancelsTheJobOnceAndTheTaskSaysSo() {
        Job j = start();
        tasks.pollCancels();
        assertEquals(List.of(), cancelled);
        vc.cancelInVcenter(vc.tasksOn(VM).get(0).id);
        tasks.pollCancels();
        tasks.pollCancels();
        assertEquals(List.of(j.id()), cancelled);
        tasks.changed(j = j.cancelling(), Change.STATE);
        tasks.changed(j.ended(JobState.CANCELLED, clock.instant(), new JobFailure("cancelled", "The job was cancelled",
                "Job " + j.id() + " was cancelled; everything it created was removed.", false)), Change.STATE);
        FakeVcenterActivity.Task t = vc.tasksOn(VM).get(0);
        assertEquals("error", t.state);
        assertTrue(t.error.startsWith("Cancelled from vCenter."), t.error);
        tasks.pollCancels();
        assertEquals(2, vc.calls.stream().filter("taskCancelRequested"::equals).count(),
                "an ended job's task is not polled any more");
    }

    @Test
    void vcenterRefusingEveryCallNeverFailsTheJobAndIsCounted() {
        vc.refuse.addAll(List.of("createTask", "logEvent", "setCustomValue"));
        Job j = start();
        tasks.changed(j = j.inPhase(JobPhase.READING), Change.PHASE);
        tasks.changed(j.succeeded(clock.instant(), "rp-1", null), Change.STATE);
        assertEquals(List.of("create task", "log event", "log event", "set attribute"), failures);
        assertEquals(List.of(), vc.tasksOn(VM));
        tasks.pollCancels(); // no task: nothing to poll, nothing thrown
    }

    @Test
    void aTaskThatCannotBeUpdatedStillEndsAndTheCleanupObserverSurvivesRefusals() {
        Job j = start();
        vc.refuse.add("taskProgress");
        tasks.changed(j = j.inPhase(JobPhase.DETACHING), Change.PHASE);
        vc.refuse.remove("taskProgress");
        tasks.changed(j.succeeded(clock.instant(), "rp-2", null), Change.STATE);
        assertEquals("success", vc.tasksOn(VM).get(0).state);
        assertEquals(List.of("update task"), failures);
        vc.refuse.add("logEvent");
        tasks.cleanupAction(VM, "old-job", "removed snapshot hotadd-old-job left by a crashed run");
        assertEquals(List.of("update task", "log event"), failures);
        vc.refuse.clear();
        tasks.cleanupAction(VM, "old-job", "removed snapshot hotadd-old-job left by a crashed run");
        assertTrue(vc.eventsOn(VM).get(vc.eventsOn(VM).size() - 1).contains("job old-job: removed snapshot"));
    }

    @Test
    void aJobSettledAtTheNextStartEndsTheTaskThePreviousRunNoted() {
        OpenTasks open = OpenTasks.inMemory();
        VcenterJobTasks before = new VcenterJobTasks(vc, VisibilitySettings.defaults("1"), Runnable::run, clock,
                failures::add, open);
        Job running = queued().started(clock.instant());
        before.changed(running, Change.STATE);
        String task = vc.tasksOn(VM).get(0).id;
        assertEquals(Optional.of(task), open.find(running.id()));

        VcenterJobTasks after = new VcenterJobTasks(vc, VisibilitySettings.defaults("1"), Runnable::run, clock,
                failures::add, open);
        after.changed(running.ended(JobState.FAILED, clock.instant(), new JobFailure("agent-restarted",
                "The agent stopped while the job was not finished", "The agent stopped under job "
                + running.id() + ".", true)), Change.STATE);
        assertEquals("error", vc.tasksOn(VM).get(0).state);
        assertTrue(vc.tasksOn(VM).get(0).error.contains("The agent stopped under job"), vc.tasksOn(VM).get(0).error);
        assertEquals(Optional.empty(), open.find(running.id()));
        assertEquals(1, vc.tasksOn(VM).size(), "no new task for a job that only ended");
    }

    @Test
    void theExtensionListsTaskAndEventTypesWithLabelsAndTheApplianceType() {
        var spec = AgentExtension.spec(VisibilitySettings.defaults("1.2.3"));
        assertEquals("1.2.3", spec.version());
        assertEquals(List.of("io.hotadd.agent.backup", "io.hotadd.agent.restore"), spec.taskTypeIds());
        spec.taskTypeIds().forEach(id -> assertTrue(spec.labels().containsKey(id + ".label"), id));
        spec.eventTypeIds().forEach(id -> assertTrue(spec.labels().containsKey(id + ".label"), id));
        assertTrue(spec.managedEntityTypes().containsKey(AgentExtension.APPLIANCE));
    }
}
