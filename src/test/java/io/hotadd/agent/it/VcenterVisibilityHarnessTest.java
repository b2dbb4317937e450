package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ManagedObjectReference;
import io.hotadd.agent.adapters.journal.FileOpenTasks;
import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.JobEngineSettings;
import io.hotadd.agent.engine.jobs.JobListener;
import io.hotadd.agent.engine.jobs.JobMetrics;
import io.hotadd.agent.engine.vcenter.VcenterJobTasks;
import io.hotadd.agent.engine.vcenter.VcenterPresence;
import io.hotadd.agent.engine.vcenter.VisibilitySettings;
import io.hotadd.agent.fakes.MemoryJobStore;
import io.hotadd.agent.fakes.MemoryRepository;
import io.hotadd.agent.harness.VcsimActivity;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimModel.Inventory;
import io.hotadd.agent.harness.VcsimModel.Snapshot;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a vSphere administrator sees of the agent's jobs, read back from the simulator harness: the extension,
 * the appliance's managedBy, one task per job with progress and its end, events, the "Last backup"
 * attribute, and a cancel from the vSphere Client that stops the job. Jobs run through the real job engine,
 * workflow and yavijava gateway.
 */
class VcenterVisibilityHarnessTest {
    private static final long MIB = 1 << 20;
    private static final VisibilitySettings SETTINGS = VisibilitySettings.defaults("1.0.0")
            .withRates(Duration.ofMillis(200), 5, Duration.ofMillis(200));

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY));

    private static final MemoryRepository REPO = new MemoryRepository(64 << 10);
    private static final List<String> FAILURES = new CopyOnWriteArrayList<>();
    private static HarnessEngine engine;
    private static JobEngine jobs;
    private static ExecutorService jobThreads;
    private static ExecutorService calls;
    private static ScheduledExecutorService poller;
    private static VcenterJobTasks tasks;

    @BeforeAll
    static void start() {
        engine = new HarnessEngine(VCSIM.vcsim(), REPO);
        jobThreads = Executors.newCachedThreadPool();
        calls = Executors.newSingleThreadExecutor();
        poller = Executors.newSingleThreadScheduledExecutor();
        Readiness readiness = new Readiness(Clock.systemUTC());
        readiness.up(Readiness.Condition.STARTUP_FINISHED, "test");
        AtomicInteger ids = new AtomicInteger();
        jobs = new JobEngine(new JobEngine.Parts(new MemoryJobStore(), engine.workflow, REPO, REPO, jobThreads,
                Clock.systemUTC(), () -> "vis-" + ids.incrementAndGet(), new JobEngineSettings(2, Duration.ZERO,
                Duration.ofSeconds(10), Duration.ofDays(1)), JobMetrics.NONE, readiness));
        tasks = new VcenterJobTasks(engine.vsphere, SETTINGS, calls, Clock.systemUTC(), FAILURES::add);
        jobs.listenToAll(tasks);
        tasks.cancelJobsWith(jobs::cancel);
        poller.scheduleWithFixedDelay(tasks::pollCancels, 200, 200, TimeUnit.MILLISECONDS);
    }

    @AfterAll
    static void stop() {
        poller.shutdownNow();
        calls.shutdownNow();
        jobThreads.shutdownNow();
        engine.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        control().clearFaults();
        FAILURES.clear();
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations());
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static Vm vmWithData(String name) {
        Vm vm = control().createVm(new NewVm(name, null, null, true, true, List.of(NewDisk.thin(8 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), 0, 2 * MIB, "random:" + name);
        return vm;
    }

    private static Job backup(String vm) {
        return jobs.submitBackup(new VmSelector.ByName(vm), new JobRequest(BackupMode.AUTO, false, Map.of(),
                Optional.empty(), Optional.empty(), "fp-" + vm)).job();
    }

    @Test
    void theExtensionIsRegisteredWithItsTypesAndLabelsUpdatedOnUpgradeAndTheApplianceIsManagedByIt() {
        VmRef proxy = new VmRef(control().vm(HarnessEngine.PROXY).moref());
        assertTrue(new VcenterPresence(engine.vsphere, SETTINGS, () -> proxy, FAILURES::add).ensure());
        VcsimActivity.Extension x = extension();
        assertEquals("1.0.0", x.version());
        assertEquals(List.of("io.hotadd.agent.backup", "io.hotadd.agent.restore"), x.taskTypes());
        assertTrue(x.eventTypes().contains("io.hotadd.agent.jobFailed"), x.eventTypes().toString());
        assertEquals("HotAdd backup", x.labels().get("en/task/io.hotadd.agent.backup.label"));
        assertEquals("HotAdd job failed", x.labels().get("en/event/io.hotadd.agent.jobFailed.label"));
        assertEquals(List.of("appliance"), x.managedEntityTypes());
        assertEquals(new VcsimActivity.ManagedBy("io.hotadd.agent", "appliance"),
                control().activity(HarnessEngine.PROXY).managedBy());

        VisibilitySettings upgraded = new VisibilitySettings(SETTINGS.extensionKey(), "1.1.0", SETTINGS.agentName(),
                SETTINGS.attribute(), SETTINGS.progressInterval(), SETTINGS.progressStep(), SETTINGS.cancelPoll());
        control().resetCalls();
        assertTrue(new VcenterPresence(engine.vsphere, upgraded, () -> proxy, FAILURES::add).ensure());
        assertEquals("1.1.0", extension().version());
        assertEquals(1L, control().calls().get("UpdateExtension"));
        assertEquals(List.of(), FAILURES);
    }

    @Test
    void aBackupIsOneTaskOnItsVmWithProgressEventsForEachStepAndTheLastBackupAttribute() {
        vmWithData("vis-ok");
        Job job = awaitJob(backup("vis-ok").id(), j -> j.state().isTerminal());
        assertEquals(JobState.SUCCEEDED, job.state(), String.valueOf(job.failure()));
        VcsimActivity seen = activityWhen("vis-ok", a -> a.tasks().size() == 1
                && "success".equals(a.tasks().get(0).state()) && a.customValues().containsKey("Last backup"));

        VcsimActivity.Task task = seen.tasks().get(0);
        assertEquals("io.hotadd.agent.backup", task.typeId());
        assertEquals(100, task.progress());
        assertEquals("hotadd-agent", task.initiatedBy());
        assertTrue(task.cancelable());
        assertTrue(task.description().startsWith("Job " + job.id() + ": Done"), task.description());
        List<String> events = seen.userEvents();
        assertTrue(events.get(0).contains(job.id() + " of VM 'vis-ok' started"), events.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains("destroying the temporary linked clone hotadd-" + job.id())),
                events.toString());
        assertTrue(events.stream().anyMatch(e -> e.contains("removing the backup snapshot hotadd-" + job.id())),
                events.toString());
        assertTrue(events.get(events.size() - 1).contains("succeeded: restore point " + job.restorePointId()),
                events.toString());
        assertTrue(seen.customValues().get("Last backup").endsWith(", restore point " + job.restorePointId()
                + ", job " + job.id()), seen.customValues().toString());
        System.out.println(seen.describe());
        assertEquals(List.of(), FAILURES);
    }

    @Test
    void aFailedBackupEndsItsTaskInErrorWithTheJobsMessageAndSetsNoAttribute() {
        Vm vm = vmWithData("vis-fail");
        control().addFault(new FaultRule(null, "CreateSnapshot_Task", vm.moref(), 1, "fault", "InvalidState",
                "the VM's datastore is full (injected)", true, null, null, null));
        Job job = awaitJob(backup("vis-fail").id(), j -> j.state().isTerminal());
        assertEquals(JobState.FAILED, job.state());
        VcsimActivity seen = activityWhen("vis-fail", a -> a.tasks().size() == 1
                && "error".equals(a.tasks().get(0).state()) && a.userEvents().size() >= 2);
        assertEquals(job.failure().title() + ": " + job.failure().detail(), seen.tasks().get(0).error());
        String last = seen.userEvents().get(seen.userEvents().size() - 1);
        assertTrue(last.contains("failed") && last.contains(job.failure().detail()), last);
        assertFalse(seen.customValues().containsKey("Last backup"));
    }

    @Test
    void cancellingTheTaskInTheVsphereClientCancelsTheJobWhichCleansUp() {
        Vm vm = vmWithData("vis-cancel");
        int hold = control().addFault(new FaultRule(null, "CreateSnapshot_Task", vm.moref(), 1, "hold", null, null,
                null, null, null, null));
        String id = backup("vis-cancel").id();
        awaitJob(id, j -> j.phase() == JobPhase.SNAPSHOTTING);
        String task = activityWhen("vis-cancel", a -> a.tasks().size() == 1
                && "running".equals(a.tasks().get(0).state())).tasks().get(0).task();

        engine.session.call("cancel the task as an administrator", "Task:" + task, (vim, content) -> {
            ManagedObjectReference mor = new ManagedObjectReference();
            mor.type = "Task";
            mor.val = task;
            vim.cancelTask(mor);
            return null;
        });
        awaitJob(id, j -> j.state() == JobState.CANCELLING);
        control().releaseFault(hold);
        Job job = awaitJob(id, j -> j.state().isTerminal());

        assertEquals(JobState.CANCELLED, job.state(), String.valueOf(job.failure()));
        VcsimActivity seen = activityWhen("vis-cancel", a -> "error".equals(a.tasks().get(0).state()));
        assertTrue(seen.tasks().get(0).cancelled());
        assertTrue(seen.tasks().get(0).error().startsWith("Cancelled from vCenter."), seen.tasks().get(0).error());
        assertTrue(seen.userEvents().stream().anyMatch(e -> e.contains("removing the backup snapshot hotadd-" + id)),
                seen.userEvents().toString());
        assertTrue(seen.userEvents().get(seen.userEvents().size() - 1).contains("was cancelled"));
        assertNull(seen.customValues().get("Last backup"));
    }

    @Test
    void aVcenterThatRefusesTasksEventsAndAttributesDoesNotFailTheBackup() {
        Vm vm = vmWithData("vis-refused");
        for (String method : List.of("CreateTask", "LogUserEvent", "SetField", "AddCustomFieldDef")) {
            control().addFault(new FaultRule(null, method, null, 0, "fault", "NoPermission", "no privilege (injected)",
                    null, null, null, null));
        }
        Job job = awaitJob(backup("vis-refused").id(), j -> j.state().isTerminal());
        assertEquals(JobState.SUCCEEDED, job.state(), String.valueOf(job.failure()));
        drain();
        assertTrue(FAILURES.containsAll(List.of("create task", "log event", "set attribute")), FAILURES.toString());
        control().clearFaults();
        VcsimActivity seen = control().activity(vm.name());
        assertEquals(List.of(), seen.tasks());
        assertEquals(List.of(), seen.userEvents());
    }

    @Test
    void theSnapshotAndTheCloneSayWhatTheyAreAndWhichJobOwnsThem() {
        vmWithData("vis-names");
        List<Inventory> seen = new CopyOnWriteArrayList<>();
        engine.backup("names-1", "vis-names", BackupMode.AUTO, new JobObserver() {
            public void phase(JobPhase p) {
                if (p == JobPhase.READING) {
                    seen.add(control().inventory());
                }
            }

            public void disksPlanned(List<DiskProgress> d) {
            }

            public void bytesRead(int k, long b) {
            }

            public void warning(String m) {
            }
        });
        Inventory during = seen.get(0);
        Snapshot snapshot = during.vm("vis-names").snapshots().get(0);
        assertEquals("hotadd-names-1", snapshot.name());
        assertTrue(snapshot.description().contains("job names-1") && snapshot.description().contains("hotadd-agent")
                && snapshot.description().contains(HarnessEngine.PROXY)
                && snapshot.description().contains("removes it"), snapshot.description());
        Vm clone = during.vms().stream().filter(Vm::isClone).findFirst().orElseThrow();
        assertEquals("hotadd-names-1-vis-names", clone.name());
        assertTrue(clone.annotation().contains("'vis-names'") && clone.annotation().contains("job names-1")
                && clone.annotation().contains("destroyed when the job ends"), clone.annotation());
    }

    @Test
    void theTaskOfAJobTheAgentWasRunningWhenItStoppedEndsWhenTheNextStartSettlesTheJob(@TempDir Path state)
            throws Exception {
        Vm vm = vmWithData("vis-crash");
        Job running = Job.queued("crash-1", JobType.BACKUP, new JobTarget(vm.moref(), vm.name(), vm.instanceUuid()),
                new JobRequest(BackupMode.AUTO, false, Map.of(), Optional.empty(), Optional.empty(), "fp"),
                Instant.now()).started(Instant.now()).inPhase(JobPhase.READING);
        ExecutorService before = Executors.newSingleThreadExecutor();
        new VcenterJobTasks(engine.vsphere, SETTINGS, before, Clock.systemUTC(), FAILURES::add,
                new FileOpenTasks(state)).changed(running, JobListener.Change.STATE);
        before.shutdown(); // the agent stops: nothing ends the task
        assertTrue(before.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals("running", control().activity("vis-crash").tasks().get(0).state());

        ExecutorService after = Executors.newSingleThreadExecutor();
        Job settled = running.ended(JobState.FAILED, Instant.now(), new JobFailure("agent-restarted",
                "The agent stopped while the job was not finished", "The agent stopped while job crash-1 was "
                + "RUNNING in phase READING.", true));
        new VcenterJobTasks(engine.vsphere, SETTINGS, after, Clock.systemUTC(), FAILURES::add,
                new FileOpenTasks(state)).changed(settled, JobListener.Change.STATE);
        after.shutdown();
        assertTrue(after.awaitTermination(30, TimeUnit.SECONDS));
        VcsimActivity.Task task = control().activity("vis-crash").tasks().get(0);
        assertEquals("error", task.state());
        assertTrue(task.error().contains("The agent stopped while job crash-1"), task.error());
        assertEquals(List.of(), Files.list(state).filter(f -> !f.getFileName().toString().startsWith(".")).toList(),
                "the note of the task is gone once it ended");
        assertEquals(List.of(), FAILURES);
    }

    private static VcsimActivity.Extension extension() {
        return control().extensions().stream().filter(e -> e.key().equals("io.hotadd.agent")).findFirst()
                .orElseThrow(() -> new AssertionError("extension not registered: " + control().extensions()));
    }

    /** Waits for the visibility calls made so far to be done. */
    private static void drain() {
        try {
            calls.submit(() -> { }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("vCenter visibility calls did not finish", e);
        }
    }

    private static VcsimActivity activityWhen(String vm, Predicate<VcsimActivity> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        VcsimActivity now;
        do {
            drain();
            now = control().activity(vm);
            if (condition.test(now)) {
                return now;
            }
            pause();
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the harness never showed the expected activity on " + vm + ": " + now.describe());
    }

    private static Job awaitJob(String id, Predicate<Job> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Job j = jobs.get(id);
            if (condition.test(j)) {
                return j;
            }
            pause();
        }
        throw new AssertionError("job " + id + " did not get there in 60 s: " + jobs.get(id));
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
