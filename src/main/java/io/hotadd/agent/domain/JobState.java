package io.hotadd.agent.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job stands from the caller's point of view. The workflow's finer position is its {@link JobPhase}.
 * Moves are one-way: a job never leaves a terminal state, and a running job never goes back to the queue.
 */
public enum JobState {
    QUEUED,
    RUNNING,
    /** Cancel was asked for while the job ran; it is stopping its reads and cleaning up. */
    CANCELLING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }

    /**
     * Whether a job in this state may move to {@code next}. A cancelled job can still end SUCCEEDED (the
     * cancel came after the restore point was committed) or FAILED (its cleanup failed); every live state
     * can end FAILED, because the agent may stop under any job.
     */
    public boolean canMoveTo(JobState next) {
        return allowedNext().contains(next);
    }

    private Set<JobState> allowedNext() {
        return switch (this) {
            case QUEUED -> EnumSet.of(RUNNING, CANCELLED, FAILED);
            case RUNNING -> EnumSet.of(CANCELLING, SUCCEEDED, FAILED, CANCELLED);
            case CANCELLING -> EnumSet.of(CANCELLED, SUCCEEDED, FAILED);
            case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
        };
    }
}
