package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.UpdateSet;
import com.vmware.vim25.WaitOptions;
import io.hotadd.agent.port.VSphereException;

import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Starts a vCenter task and waits for its end with a deadline, forwarding progress.
 *
 * <p>First one RetrievePropertiesEx of the task's {@code info}: a task that is already over (quick
 * reconfigurations; every task of the simulator) costs no more. Otherwise a PropertyFilter on {@code info}
 * of a leased collector ({@link PropertyCollectorPool}), WaitForUpdatesEx long-polls with
 * {@code maxWaitSeconds} well below the session's read timeout (so a healthy wait never looks like a dead
 * connection), and the filter is destroyed afterwards whatever happened.
 *
 * <p>At the deadline the agent stops waiting but does not cancel the vCenter task: it may be consolidating
 * a disk, and cancelling half-way does more harm than letting it finish. The Timeout error says so.
 */
final class TaskWaiter {

    private static final Logger LOG = Logger.getLogger(TaskWaiter.class);

    /** What is being waited for, in the words error messages use, and for how long. */
    record TaskRun(String action, String object, Duration limit) {
    }

    private final VSphereSession session;
    private final PropertyReader properties;
    private final PropertyCollectorPool collectors;
    private final DeadlineClock clock;
    private final TaskProgressListener listener;

    TaskWaiter(VSphereSession session, PropertyCollectorPool collectors, DeadlineClock clock,
               TaskProgressListener listener) {
        this.session = session;
        this.properties = new PropertyReader(session);
        this.collectors = collectors;
        this.clock = clock;
        this.listener = listener;
    }

    /** Calls {@code start} (a {@code *_Task} method), waits for the task, answers its {@code info.result}. */
    Object run(TaskRun run, VSphereSession.VimCall<ManagedObjectReference> start) {
        long deadline = clock.nanoTime() + run.limit().toNanos();
        ManagedObjectReference task = session.call(run.action(), run.object(), start);
        return new Wait(task, run, deadline).untilDone();
    }

    /** One wait for one task. */
    private final class Wait {
        private final ManagedObjectReference task;
        private final TaskRun run;
        private final long deadline;
        private Integer lastPercent;

        Wait(ManagedObjectReference task, TaskRun run, long deadline) {
            this.task = task;
            this.run = run;
            this.deadline = deadline;
        }

        Object untilDone() {
            TaskInfo info = properties.retrieveOne("read the state of task " + task.val + " (" + run.action()
                    + ")", task, "info").get("info", TaskInfo.class);
            if (info == null || !isOver(info)) {
                report(info);
                info = watch();
            }
            return outcome(info);
        }

        private TaskInfo watch() {
            try (PropertyCollectorPool.Lease lease = collectors.lease()) {
                ManagedObjectReference filter = createFilter(lease);
                try {
                    return longPoll(lease, filter);
                } finally {
                    destroy(filter);
                }
            }
        }

        private ManagedObjectReference createFilter(PropertyCollectorPool.Lease lease) {
            try {
                return createFilterOn(lease.collector());
            } catch (VSphereException.NotFound collectorGone) {
                // collectors belong to a session; after a re-login the leased one no longer exists
                return createFilterOn(lease.replace());
            }
        }

        private ManagedObjectReference createFilterOn(ManagedObjectReference collector) {
            return session.call("watch task " + task.val + " (" + run.action() + ")", run.object(),
                    (vim, content) -> vim.createFilter(collector, PropertyReader.filter(
                            PropertyReader.objectSpec(task), PropertyReader.propertySpec("Task", "info")), true));
        }

        /** Marks the lease reusable whenever it ends with no WaitForUpdatesEx outstanding on the collector. */
        private TaskInfo longPoll(PropertyCollectorPool.Lease lease, ManagedObjectReference filter) {
            ManagedObjectReference collector = lease.collector();
            TaskInfo info = null;
            String version = "";
            while (true) {
                long remaining = deadline - clock.nanoTime();
                if (remaining <= 0) {
                    lease.markReusable();
                    throw timedOut();
                }
                WaitOptions options = new WaitOptions();
                options.maxWaitSeconds = maxWaitSeconds(remaining);
                String since = version;
                UpdateSet updates = session.call("wait for task " + task.val + " (" + run.action() + ")",
                        run.object(), (vim, content) -> vim.waitForUpdatesEx(collector, since, options));
                if (updates != null) {
                    version = updates.version;
                    info = TaskInfoUpdates.apply(info, updates, filter, task);
                    report(info);
                    if (info != null && isOver(info)) {
                        lease.markReusable();
                        return info;
                    }
                }
            }
        }

        /** At most 3/4 of the read timeout, so the answer always arrives before the transport gives up. */
        private int maxWaitSeconds(long remainingNanos) {
            long cap = Math.max(1, session.readTimeout().toSeconds() * 3 / 4);
            long remainingSeconds = (remainingNanos + 999_999_999L) / 1_000_000_000L;
            return (int) Math.max(1, Math.min(cap, remainingSeconds));
        }

        private void destroy(ManagedObjectReference filter) {
            try {
                session.call("stop watching task " + task.val, FaultTranslator.ref(filter), (vim, content) -> {
                    vim.destroyPropertyFilter(filter);
                    return null;
                });
            } catch (VSphereException e) {
                // a filter of an expired session is gone already; a leftover one dies with the session
                LOG.debugf("Could not destroy the filter %s of task %s: %s", filter.val, task.val, e.getMessage());
            }
        }

        private Object outcome(TaskInfo info) {
            if (info.state == TaskInfoState.success) {
                report(info);
                return info.result;
            }
            if (info.error == null || info.error.fault == null) {
                throw new VSphereException.Fault("The vCenter task " + task.val + " (" + run.action() + " on "
                        + run.object() + ") ended in error without saying why. See the task in vCenter's Recent"
                        + " Tasks and the object's events.", "TaskError", null, false, null);
            }
            throw FaultTranslator.translate(info.error.fault, run.action(), run.object() + " (task " + task.val
                    + ")", info.error.localizedMessage);
        }

        private void report(TaskInfo info) {
            if (info == null) {
                return;
            }
            Integer percent = info.state == TaskInfoState.success ? Integer.valueOf(100) : info.progress;
            if (percent == null || percent.equals(lastPercent)) {
                return;
            }
            lastPercent = percent;
            try {
                listener.progress(task.val, run.action(), run.object(), percent);
            } catch (RuntimeException e) {
                LOG.warnf(e, "The progress listener failed for task %s; the wait goes on", task.val);
            }
        }

        private VSphereException timedOut() {
            return new VSphereException.Timeout("The vCenter task " + task.val + " (" + run.action() + " on "
                    + run.object() + ") did not finish within " + describe(run.limit()) + ". The agent stopped"
                    + " waiting but did not cancel the task, so it may still complete: check Recent Tasks in"
                    + " vCenter for " + task.val + " and run the step again once it has ended, or raise the"
                    + " agent's deadline for this kind of task if vCenter is just slow.", null);
        }
    }

    private static boolean isOver(TaskInfo info) {
        return info.state == TaskInfoState.success || info.state == TaskInfoState.error;
    }

    static String describe(Duration limit) {
        long seconds = limit.toSeconds();
        return seconds % 60 == 0 && seconds > 0 ? seconds / 60 + " min" : seconds + " s";
    }
}
