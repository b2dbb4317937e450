package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.engine.jobs.JobListener.Change;
import io.hotadd.agent.port.JobStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * The current version of every job, kept in memory and written through to the {@link JobStore}, and the
 * listeners told of each change. Changes of one job are serialised, so a cancel and the job's own end
 * cannot both win.
 */
final class JobBook {
    private static final Logger LOG = Logger.getLogger(JobBook.class);

    private final JobStore store;
    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final List<JobListener> everyJob = new CopyOnWriteArrayList<>();

    /** One job's current version and its own listeners; the entry is also the lock for changing it. */
    private static final class Entry {
        volatile Job job;
        final List<JobListener> listeners = new CopyOnWriteArrayList<>();

        Entry(Job job) {
            this.job = job;
        }
    }

    JobBook(JobStore store) {
        this.store = store;
    }

    /** Adds a new job and stores it; throws (and keeps nothing) if it cannot be stored. */
    void add(Job job) {
        store.save(job);
        jobs.put(job.id(), new Entry(job));
        notify(jobs.get(job.id()), job, Change.STATE);
    }

    JobStore.Loaded loadStored() {
        return store.loadAll();
    }

    /** Puts a job loaded from the store back, without storing or notifying. */
    void restore(Job job) {
        jobs.put(job.id(), new Entry(job));
    }

    Optional<Job> find(String id) {
        return Optional.ofNullable(jobs.get(id)).map(e -> e.job);
    }

    Collection<Job> all() {
        List<Job> out = new ArrayList<>(jobs.size());
        jobs.values().forEach(e -> out.add(e.job));
        return out;
    }

    /**
     * Applies {@code change} to the job's current version; when it makes a new one, stores it if
     * {@code durable} and tells the listeners. Answers the job's version afterwards.
     */
    Job update(String id, UnaryOperator<Job> change, Change kind, boolean durable) {
        Entry e = jobs.get(id);
        if (e == null) {
            throw new IllegalStateException("no job " + id + " to update");
        }
        Job after;
        synchronized (e) {
            Job before = e.job;
            after = change.apply(before);
            if (after == before) {
                return before;
            }
            if (durable) {
                saveOrLog(after);
            }
            e.job = after;
            notify(e, after, kind); // under the lock, so every listener sees one job's changes in order
        }
        return after;
    }

    /**
     * A job that cannot be stored any more still runs to its end (its cleanup matters more than its
     * record); the failure is logged and the next durable change tries again.
     */
    private void saveOrLog(Job job) {
        try {
            store.save(job);
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "Could not store job %s (state %s); it continues, and a restart may show an older state",
                    job.id(), job.state());
        }
    }

    void forget(String id) {
        store.delete(id);
        jobs.remove(id);
    }

    void listenToAll(JobListener listener) {
        everyJob.add(listener);
    }

    /** Adds a listener to one job; answers how to remove it. */
    Runnable listen(String id, JobListener listener) {
        Entry e = jobs.get(id);
        if (e == null) {
            throw new IllegalStateException("no job " + id + " to listen to");
        }
        e.listeners.add(listener);
        return () -> e.listeners.remove(listener);
    }

    private void notify(Entry e, Job job, Change kind) {
        for (JobListener l : everyJob) {
            tell(l, job, kind);
        }
        for (JobListener l : e.listeners) {
            tell(l, job, kind);
        }
    }

    /** A broken listener (a client gone mid-stream) must not break the job that told it. */
    private static void tell(JobListener l, Job job, Change kind) {
        try {
            l.changed(job, kind);
        } catch (RuntimeException ex) {
            LOG.warnf(ex, "A listener of job %s failed on %s", job.id(), kind);
        }
    }
}
