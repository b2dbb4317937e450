package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobPhase;

/** What the engine counts for monitoring; the boot layer backs it with Micrometer. Calls never block. */
public interface JobMetrics {

    /** Bytes read from a hot-added disk. Called from the reader threads. */
    void bytesRead(long bytes);

    /** A backup committed a restore point that added this many bytes to the repository (after dedup). */
    void bytesStored(long bytes);

    /** A cleanup step of a backup began (detach, destroy clone, remove snapshot, ...). */
    void cleanupStep(JobPhase phase);

    /** A failed job left cleanup steps undone (objects remain in vCenter or on the proxy). */
    void cleanupIncomplete(Job job);

    /** A job reached its terminal state. */
    void jobEnded(Job job);

    JobMetrics NONE = new JobMetrics() {
        @Override
        public void bytesRead(long bytes) {
        }

        @Override
        public void bytesStored(long bytes) {
        }

        @Override
        public void cleanupStep(JobPhase phase) {
        }

        @Override
        public void cleanupIncomplete(Job job) {
        }

        @Override
        public void jobEnded(Job job) {
        }
    };
}
