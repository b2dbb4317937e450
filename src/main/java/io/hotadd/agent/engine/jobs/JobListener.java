package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;

/**
 * Told of every change of a job, in order, on the thread that made it (a job thread, a disk reader, an HTTP
 * worker) while that job is locked: implementations hand the work off quickly, never block, and never
 * change the job themselves.
 */
@FunctionalInterface
public interface JobListener {

    /** What changed; listeners that stream to clients name their events after it. */
    enum Change {
        /** The job's state moved (accepted, started, cancelling, ended). */
        STATE,
        /** The workflow entered another phase. */
        PHASE,
        /** Bytes were read (reported at most once per progress interval) or the disks were planned. */
        PROGRESS,
        /** The job recorded a warning. */
        WARNING
    }

    void changed(Job job, Change change);
}
