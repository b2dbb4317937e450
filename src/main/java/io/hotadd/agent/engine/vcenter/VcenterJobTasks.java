package io.hotadd.agent.engine.vcenter;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.jobs.JobListener;
import io.hotadd.agent.port.CleanupEvents;
import io.hotadd.agent.port.OpenTasks;
import io.hotadd.agent.port.VcenterActivity;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Shows each job to vSphere administrators: one vCenter task on the job's VM (progress and what the job does
 * now, ending in success or with the job's error), events on the VM when the job starts and ends and for
 * every cleanup step, the "Last backup" attribute after a success; and turns a cancel asked on that task in
 * the vSphere Client into a cancel of the job ({@link #pollCancels}).
 *
 * <p>Listener calls arrive under the job's lock and must not block, so every vCenter call is handed to
 * {@code calls}, a single thread that keeps them in order. A failed call is logged and counted, never
 * thrown: vCenter refusing a task or an event must not fail a backup.
 */
public final class VcenterJobTasks implements JobListener, CleanupEvents {
    private static final Logger LOG = Logger.getLogger(VcenterJobTasks.class);

    /** Counts visibility calls vCenter refused (metrics); {@code call} names the kind of call. */
    @FunctionalInterface
    public interface Failures {
        void failed(String call);
    }

    private final VcenterActivity vcenter;
    private final VisibilitySettings settings;
    private final Executor calls;
    private final Clock clock;
    private final Failures failures;
    private final OpenTasks open;
    private final Map<String, TaskOfJob> tasks = new ConcurrentHashMap<>();
    private volatile Consumer<String> cancelJob = id -> { };

    /** What the agent knows of one job's vCenter task; touched only on the {@code calls} thread but the poll. */
    private static final class TaskOfJob {
        final VmRef vm;
        volatile String task; // null until created, or when vCenter refused it
        volatile boolean ended;
        volatile boolean cancelAsked;
        int sentPercent = -1;
        long sentAtMillis;

        TaskOfJob(VmRef vm) {
            this.vm = vm;
        }
    }

    public VcenterJobTasks(VcenterActivity vcenter, VisibilitySettings settings, Executor calls, Clock clock,
                           Failures failures) {
        this(vcenter, settings, calls, clock, failures, OpenTasks.inMemory());
    }

    /** @param open where each running job's task is noted, so one left by a crash is ended at the next start */
    public VcenterJobTasks(VcenterActivity vcenter, VisibilitySettings settings, Executor calls, Clock clock,
                           Failures failures, OpenTasks open) {
        this.open = open;
        this.vcenter = vcenter;
        this.settings = settings;
        this.calls = calls;
        this.clock = clock;
        this.failures = failures;
    }

    /** How to cancel a job when an administrator cancels its task (the job engine's cancel). */
    public void cancelJobsWith(Consumer<String> cancel) {
        this.cancelJob = cancel;
    }

    @Override
    public void changed(Job job, Change change) {
        if (job.target() == null || job.target().moref() == null) {
            // a repository job (verify) has no VM to show it on; a restore to a new VM has none until the
            // VM exists: its end event then lands on the new VM
            return;
        }
        switch (change) {
            case STATE -> stateChanged(job);
            case PHASE -> calls.execute(() -> phaseChanged(job));
            case PROGRESS -> calls.execute(() -> progressed(job, false));
            case WARNING -> { }
        }
    }

    private void stateChanged(Job job) {
        if (job.state() == JobState.RUNNING) {
            TaskOfJob t = new TaskOfJob(vmOf(job));
            tasks.put(job.id(), t);
            calls.execute(() -> started(job, t));
        } else if (job.state() == JobState.CANCELLING) {
            calls.execute(() -> describe(job, "Cancelling: cleaning up what the job created"));
        } else if (job.state().isTerminal()) {
            TaskOfJob t = tasks.get(job.id());
            if (t != null) {
                t.ended = true;
            }
            calls.execute(() -> ended(job, t));
        }
    }

    private void started(Job job, TaskOfJob t) {
        String type = kind(job);
        t.task = attempt("create task", job, () -> vcenter.createTask(t.vm, settings.taskType(type),
                settings.agentName(), true));
        if (t.task != null) {
            open.remember(job.id(), t.task);
            attempt("update task", job, () -> {
                vcenter.taskRunning(t.task);
                vcenter.taskProgress(t.task, 0, JobMessages.description(job));
                return null;
            });
        }
        event(job, t.vm, JobMessages.started(job, settings.agentName()));
    }

    private void phaseChanged(Job job) {
        TaskOfJob t = tasks.get(job.id());
        if (t == null || t.ended) {
            return;
        }
        if (job.phase().isCleanup()) {
            event(job, t.vm, JobMessages.cleanupPhase(job));
        }
        progressed(job, true);
    }

    /** Sends progress when forced (a new phase) or when it moved a step, and then at most once per interval. */
    private void progressed(Job job, boolean force) {
        TaskOfJob t = tasks.get(job.id());
        if (t == null || t.task == null || t.ended) {
            return;
        }
        int percent = (int) Math.floor(job.progress().percent());
        long now = clock.millis();
        boolean due = now - t.sentAtMillis >= settings.progressInterval().toMillis()
                || percent - t.sentPercent >= settings.progressStep();
        if (!force && (!due || percent == t.sentPercent)) {
            return;
        }
        t.sentPercent = percent;
        t.sentAtMillis = now;
        attempt("update task", job, () -> {
            vcenter.taskProgress(t.task, Math.min(99, percent), JobMessages.description(job));
            return null;
        });
    }

    private void describe(Job job, String text) {
        TaskOfJob t = tasks.get(job.id());
        if (t != null && t.task != null && !t.ended) {
            attempt("update task", job, () -> {
                vcenter.taskProgress(t.task, Math.max(0, t.sentPercent), text);
                return null;
            });
        }
    }

    /** Ends the job's task: its own, or one a previous run of the agent left open (the job was settled FAILED). */
    private void ended(Job job, TaskOfJob t) {
        VmRef vm = t != null ? t.vm : vmOf(job);
        String task = t != null ? t.task : open.find(job.id()).orElse(null);
        if (task != null) {
            String error = job.state() == JobState.SUCCEEDED ? null
                    : JobMessages.error(job, t != null && t.cancelAsked);
            attempt("finish task", job, () -> {
                if (error == null) {
                    vcenter.taskProgress(task, 100, JobMessages.description(job));
                }
                vcenter.taskFinished(task, error);
                return null;
            });
        }
        open.forget(job.id());
        event(job, vm, JobMessages.ended(job));
        if (job.state() == JobState.SUCCEEDED && job.restorePointId() != null && "backup".equals(kind(job))) {
            attempt("set attribute", job, () -> {
                vcenter.setCustomValue(vm, settings.attribute(), JobMessages.lastBackup(job));
                return null;
            });
        }
        tasks.remove(job.id());
    }

    /**
     * Asks vCenter whether an administrator cancelled the task of a running job, and cancels those jobs.
     * Called every {@link VisibilitySettings#cancelPoll()} by the boot layer's timer.
     */
    public void pollCancels() {
        for (Map.Entry<String, TaskOfJob> e : List.copyOf(tasks.entrySet())) {
            TaskOfJob t = e.getValue();
            if (t.task == null || t.ended || t.cancelAsked) {
                continue;
            }
            try {
                if (vcenter.taskCancelRequested(t.task)) {
                    t.cancelAsked = true;
                    LOG.infof("Job %s: cancelled in vCenter (task %s); cancelling it", e.getKey(), t.task);
                    cancelJob.accept(e.getKey());
                }
            } catch (RuntimeException ex) {
                LOG.warnf("Could not read whether task %s of job %s was cancelled in vCenter: %s", t.task, e.getKey(),
                        ex.getMessage());
                failures.failed("read task");
            }
        }
    }

    @Override
    public void cleanupAction(VmRef vm, String jobId, String action) {
        calls.execute(() -> {
            try {
                vcenter.logEvent(vm, settings.agentName() + ", job " + jobId + ": " + action);
            } catch (RuntimeException e) {
                LOG.warnf("Could not log the cleanup event '%s' of job %s on %s in vCenter: %s", action, jobId, vm,
                        e.getMessage());
                failures.failed("log event");
            }
        });
    }

    private void event(Job job, VmRef vm, String message) {
        attempt("log event", job, () -> {
            vcenter.logEvent(vm, message);
            return null;
        });
    }

    private <T> T attempt(String call, Job job, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            LOG.warnf("vCenter refused to %s for job %s on VM '%s'; the job goes on: %s", call, job.id(),
                    job.target().name(), e.getMessage());
            failures.failed(call);
            return null;
        }
    }

    private static VmRef vmOf(Job job) {
        return new VmRef(job.target().moref());
    }

    private static String kind(Job job) {
        return job.type().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the job's task is still followed (tests). */
    boolean follows(String jobId) {
        return tasks.containsKey(jobId);
    }
}
