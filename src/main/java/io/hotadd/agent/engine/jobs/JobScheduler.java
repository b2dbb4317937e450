package io.hotadd.agent.engine.jobs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs queued jobs first come, first served, at most {@code maxJobs} at once and never two on the same
 * resource (a VM's moref; the repository for verification): a job whose resource is busy keeps its place
 * while later jobs on other resources go ahead of it.
 */
final class JobScheduler {
    private final int maxJobs;
    private final Executor executor;
    private final LinkedList<Queued> queue = new LinkedList<>();
    private final Set<String> busy = new HashSet<>();
    private int running;

    /** A job waiting to run: its id, the resource it needs alone, and its work. */
    record Queued(String jobId, String resource, Runnable work) {
    }

    JobScheduler(int maxJobs, Executor executor) {
        if (maxJobs < 1) {
            throw new IllegalArgumentException("at least one job must be able to run, max jobs was " + maxJobs);
        }
        this.maxJobs = maxJobs;
        this.executor = executor;
    }

    void enqueue(Queued job) {
        List<Queued> start;
        synchronized (this) {
            queue.addLast(job);
            start = takeRunnable();
        }
        start.forEach(this::launch);
    }

    /** Removes a job that has not started; answers false when it is not (any more) in the queue. */
    synchronized boolean removeQueued(String jobId) {
        return queue.removeIf(q -> q.jobId().equals(jobId));
    }

    synchronized int running() {
        return running;
    }

    synchronized int queued() {
        return queue.size();
    }

    int maxJobs() {
        return maxJobs;
    }

    private List<Queued> takeRunnable() {
        List<Queued> start = new ArrayList<>();
        for (Iterator<Queued> it = queue.iterator(); it.hasNext() && running < maxJobs; ) {
            Queued q = it.next();
            if (busy.add(q.resource())) {
                it.remove();
                running++;
                start.add(q);
            }
        }
        return start;
    }

    private void launch(Queued q) {
        executor.execute(() -> {
            try {
                q.work().run();
            } finally {
                finished(q);
            }
        });
    }

    private void finished(Queued q) {
        List<Queued> start;
        synchronized (this) {
            busy.remove(q.resource());
            running--;
            start = takeRunnable();
        }
        start.forEach(this::launch);
    }
}
