package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.BackupRequest;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.CheckedRestore;
import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.RestoreRequest;
import io.hotadd.agent.engine.RestoreTarget;
import io.hotadd.agent.engine.RestoreWorkflow;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.JobStore;
import io.hotadd.agent.port.RepositoryMaintenance;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The agent's jobs: accepts them (after a synchronous pre-flight, so a bad request creates nothing), queues
 * them first come first served, runs them with bounded concurrency and never two on one VM, cancels them,
 * keeps their history across restarts through the {@link JobStore}, and tells listeners of every change.
 */
public final class JobEngine {
    private static final Logger LOG = Logger.getLogger(JobEngine.class);
    private static final String REPOSITORY_RESOURCE = "repository";

    private final JobBook book;
    private final JobContext ctx;
    private final JobScheduler scheduler;
    private final IdempotencyKeys keys = new IdempotencyKeys();
    private final Map<String, AtomicBoolean> cancelFlags = new ConcurrentHashMap<>();
    private final Supplier<String> ids;
    private final Readiness readiness;

    /**
     * Everything the engine needs, so tests and the boot layer build it the same way.
     *
     * @param restores the restore workflow (sharing the backup workflow's slots and proxy lock); null refuses
     *                 restores
     */
    public record Parts(JobStore store, BackupWorkflow workflow, BackupRepository repository,
                        RepositoryMaintenance maintenance, Executor jobThreads, Clock clock, Supplier<String> ids,
                        JobEngineSettings settings, JobMetrics metrics, Readiness readiness,
                        RestoreWorkflow restores) {

        /** An engine for backups and verification only. */
        public Parts(JobStore store, BackupWorkflow workflow, BackupRepository repository,
                     RepositoryMaintenance maintenance, Executor jobThreads, Clock clock, Supplier<String> ids,
                     JobEngineSettings settings, JobMetrics metrics, Readiness readiness) {
            this(store, workflow, repository, maintenance, jobThreads, clock, ids, settings, metrics, readiness, null);
        }
    }

    public JobEngine(Parts p) {
        this.book = new JobBook(p.store());
        this.ctx = new JobContext(book, p.workflow(), p.repository(), p.maintenance(), p.clock(), p.settings(),
                p.metrics(), p.restores());
        this.scheduler = new JobScheduler(p.settings().maxJobs(), p.jobThreads());
        this.ids = p.ids();
        this.readiness = p.readiness();
        book.listenToAll((job, change) -> {
            if (change == Change.STATE && job.state().isTerminal()) {
                cancelFlags.remove(job.id());
                p.metrics().jobEnded(job);
            }
        });
    }

    /**
     * Loads the stored jobs. Jobs that were still queued or running when the agent stopped cannot be
     * resumed: they end FAILED, saying so. Finished jobs past the retention period are removed.
     *
     * @return how many unfinished jobs were settled
     */
    public synchronized int recover() {
        JobStore.Loaded loaded = book.loadStored();
        loaded.unreadable().forEach(note -> LOG.warnf("Skipped a stored job: %s", note));
        int settled = 0;
        for (Job j : loaded.jobs()) {
            book.restore(j);
            j.request().idempotencyKey().ifPresent(k -> keys.remember(k, j.request().fingerprint(), j.id()));
            if (!j.state().isTerminal()) {
                book.update(j.id(), x -> x.ended(JobState.FAILED, ctx.clock().instant(), interruptedByStop(x)),
                        Change.STATE, true);
                settled++;
            }
        }
        pruneFinished();
        return settled;
    }

    private static JobFailure interruptedByStop(Job j) {
        return new JobFailure(JobFailures.AGENT_RESTARTED, "The agent stopped while the job was not finished",
                "The agent stopped (restart, crash or power loss) while job " + j.id() + " was " + j.state()
                + " in phase " + j.phase() + ". What it created in vCenter carries the job id (snapshot and linked "
                + "clone named hotadd-" + j.id() + "...); check that none remains attached to the proxy or on the VM, "
                + "then run the job again.", true);
    }

    /**
     * Accepts a backup: resolves the VM and runs the pre-flight now, so a request that cannot succeed is
     * refused with nothing created; then stores and queues the job. With an Idempotency-Key already used for
     * the same request, answers that request's job instead.
     *
     * @throws EngineNotReady, IdempotencyConflict, VmNotFound, PreflightRefused, ... as the checks find
     */
    public Submitted submitBackup(VmSelector vm, JobRequest request) {
        return submit(request, () -> {
            String id = ids.get();
            VmInfo t = ctx.workflow().check(new BackupRequest(id, vm, request.mode(), request.quiesce())).target();
            Job job = Job.queued(id, JobType.BACKUP, new JobTarget(t.ref().moref(), t.name(), t.instanceUuid()),
                    request, ctx.clock().instant());
            return accept(job, t.ref().moref(), cancel -> new BackupJobRun(ctx, id, cancel));
        });
    }

    /**
     * Accepts a restore: checks it now ({@link RestoreWorkflow#check}, nothing changed), so a restore that
     * cannot succeed is refused before a job exists; then stores and queues the job. It never runs beside
     * another job on the VM it writes (an existing VM's moref), nor beside another restore to the same new VM
     * name or image path.
     *
     * @throws EngineNotReady, IdempotencyConflict, RestoreRefused, ... as the checks find
     */
    public Submitted submitRestore(String restorePointId, RestoreTarget target, JobRequest request) {
        return submit(request, () -> {
            if (ctx.restores() == null) {
                throw new EngineNotReady("This agent was started without restores; restart it with a restore "
                        + "workflow configured.");
            }
            String id = ids.get();
            CheckedRestore checked = ctx.restores().check(new RestoreRequest(id, restorePointId, target));
            RestoreJobRun.Placed placed = RestoreJobRun.placed(target, checked);
            Job job = Job.queued(id, JobType.RESTORE, placed.target(), request, ctx.clock().instant())
                    .withRestorePoint(restorePointId);
            return accept(job, placed.resource(), cancel -> new RestoreJobRun(ctx, id, cancel, restorePointId,
                    target));
        });
    }

    /** Accepts a verification of the whole repository; only one runs at a time. */
    public Submitted submitVerify(JobRequest request) {
        return submit(request, () -> {
            Job job = Job.queued(ids.get(), JobType.VERIFY, null, request, ctx.clock().instant());
            return accept(job, REPOSITORY_RESOURCE, cancel -> new VerifyJobRun(ctx, job.id(), cancel));
        });
    }

    private Submitted submit(JobRequest request, Supplier<Job> create) {
        Readiness.Status started = readiness.status(Readiness.Condition.STARTUP_FINISHED);
        if (!started.up()) {
            throw new EngineNotReady("The agent is still starting (" + started.detail() + "); retry in a few seconds.");
        }
        Optional<String> key = request.idempotencyKey();
        if (key.isPresent()) {
            Optional<String> earlier = keys.claim(key.get(), request.fingerprint());
            if (earlier.isPresent()) {
                return new Submitted(get(earlier.get()), true);
            }
        }
        try {
            Job job = create.get();
            key.ifPresent(k -> keys.complete(k, job.id()));
            return new Submitted(job, false);
        } catch (RuntimeException e) {
            key.ifPresent(keys::release);
            throw e;
        }
    }

    private Job accept(Job job, String resource, java.util.function.Function<AtomicBoolean, JobRun> run) {
        AtomicBoolean cancel = new AtomicBoolean();
        book.add(job);
        cancelFlags.put(job.id(), cancel);
        scheduler.enqueue(new JobScheduler.Queued(job.id(), resource, run.apply(cancel)));
        return job;
    }

    /**
     * Cancels a job: a queued one ends CANCELLED at once; a running one moves to CANCELLING, stops reading
     * and cleans up, then ends CANCELLED. Cancelling a job that is already cancelling changes nothing.
     *
     * @throws JobNotFound        when there is no such job
     * @throws JobAlreadyFinished when it has ended
     */
    public Job cancel(String id) {
        Job now = get(id);
        if (now.state().isTerminal()) {
            throw new JobAlreadyFinished(id, now.state());
        }
        AtomicBoolean flag = cancelFlags.get(id);
        if (flag != null) {
            flag.set(true);
        }
        if (scheduler.removeQueued(id)) {
            return book.update(id, j -> j.state().isTerminal() ? j : j.ended(JobState.CANCELLED, ctx.clock().instant(),
                    new JobFailure(JobFailures.CANCELLED, "The job was cancelled", "Job " + id
                            + " was cancelled while it waited in the queue.", false)), Change.STATE, true);
        }
        Job after = book.update(id, j -> j.state() == JobState.RUNNING ? j.cancelling() : j, Change.STATE, true);
        if (after.state().isTerminal() && after.state() != JobState.CANCELLED) {
            throw new JobAlreadyFinished(id, after.state());
        }
        return after;
    }

    public Job get(String id) {
        return book.find(id).orElseThrow(() -> new JobNotFound(id));
    }

    public JobPage list(JobQuery query) {
        return JobListing.page(book.all(), query);
    }

    /**
     * Tells {@code listener} of every later change of the job; answers how to stop. The caller reads the
     * job's current version with {@link #get} after subscribing, so no change falls in between.
     */
    public Runnable watch(String id, JobListener listener) {
        get(id);
        return book.listen(id, listener);
    }

    /** Tells {@code listener} of every change of every job (callbacks, metrics). */
    public void listenToAll(JobListener listener) {
        book.listenToAll(listener);
    }

    public Map<JobState, Long> countByState() {
        Map<JobState, Long> counts = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            counts.put(s, 0L);
        }
        book.all().forEach(j -> counts.merge(j.state(), 1L, Long::sum));
        return counts;
    }

    /** Jobs not ended yet and the VMs they work on: recovery and the orphan sweep leave them alone. */
    public CrashRecovery.Busy activeWork() {
        List<Job> live = book.all().stream().filter(j -> !j.state().isTerminal()).toList();
        return new CrashRecovery.Busy(live.stream().map(Job::id).collect(Collectors.toSet()),
                live.stream().filter(j -> j.target() != null).map(j -> j.target().moref()).collect(Collectors.toSet()));
    }

    public int runningJobs() {
        return scheduler.running();
    }

    public int queuedJobs() {
        return scheduler.queued();
    }

    public int maxJobs() {
        return scheduler.maxJobs();
    }

    /** Asks every live job to stop (agent shutdown); running ones clean up before they end. */
    public void cancelAll() {
        book.all().stream().filter(j -> !j.state().isTerminal()).forEach(j -> {
            try {
                cancel(j.id());
            } catch (JobAlreadyFinished raced) {
                // ended on its own meanwhile
            }
        });
    }

    /** Removes finished jobs older than the retention period, and their idempotency keys. */
    public void pruneFinished() {
        Instant cutoff = ctx.clock().instant().minus(ctx.settings().retention());
        book.all().stream().filter(j -> j.state().isTerminal() && j.finishedAt() != null
                && j.finishedAt().isBefore(cutoff)).forEach(j -> {
                    j.request().idempotencyKey().ifPresent(keys::forget);
                    book.forget(j.id());
                });
    }
}
