package io.hotadd.agent.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job as the agent keeps and reports it: immutable; every change makes a new value, checked against
 * {@link JobState#canMoveTo}. Timestamps are null until they happen.
 *
 * @param target          the VM, or null for jobs on the repository (VERIFY)
 * @param target          for a RESTORE: the VM written (a new VM's moref once it exists), or null for an image
 * @param restorePointId  the restore point a successful backup committed; the one a RESTORE restores
 * @param check           what a VERIFY job found
 */
public record Job(String id, JobType type, JobTarget target, JobRequest request, JobState state, JobPhase phase,
                  Instant createdAt, Instant startedAt, Instant finishedAt, JobProgress progress, List<JobDisk> disks,
                  List<String> warnings, JobFailure failure, String restorePointId, RepositoryCheck check) {

    public Job {
        disks = List.copyOf(disks);
        warnings = List.copyOf(warnings);
    }

    public static Job queued(String id, JobType type, JobTarget target, JobRequest request, Instant now) {
        return new Job(id, type, target, request, JobState.QUEUED, JobPhase.QUEUED, now, null, null, JobProgress.NONE,
                List.of(), List.of(), null, null, null);
    }

    public Job started(Instant now) {
        return new Job(id, type, target, request, move(JobState.RUNNING), phase, createdAt, now, null, progress, disks,
                warnings, failure, restorePointId, check);
    }

    public Job cancelling() {
        return new Job(id, type, target, request, move(JobState.CANCELLING), phase, createdAt, startedAt, finishedAt,
                progress, disks, warnings, failure, restorePointId, check);
    }

    public Job inPhase(JobPhase next) {
        return new Job(id, type, target, request, state, next, createdAt, startedAt, finishedAt, progress, disks,
                warnings, failure, restorePointId, check);
    }

    public Job withDisks(List<JobDisk> planned, JobProgress now) {
        return new Job(id, type, target, request, state, phase, createdAt, startedAt, finishedAt, now, planned,
                warnings, failure, restorePointId, check);
    }

    public Job withWarning(String warning) {
        List<String> all = new ArrayList<>(warnings);
        all.add(warning);
        return new Job(id, type, target, request, state, phase, createdAt, startedAt, finishedAt, progress, disks, all,
                failure, restorePointId, check);
    }

    /** A restore's target once known better (the moref of the VM it created). */
    public Job withTarget(JobTarget now) {
        return new Job(id, type, now, request, state, phase, createdAt, startedAt, finishedAt, progress, disks,
                warnings, failure, restorePointId, check);
    }

    /** A restore job carries the restore point it restores from the start. */
    public Job withRestorePoint(String point) {
        return new Job(id, type, target, request, state, phase, createdAt, startedAt, finishedAt, progress, disks,
                warnings, failure, point, check);
    }

    public Job withCheck(RepositoryCheck result) {
        return new Job(id, type, target, request, state, phase, createdAt, startedAt, finishedAt, progress, disks,
                warnings, failure, restorePointId, result);
    }

    public Job succeeded(Instant now, String restorePoint, RepositoryCheck result) {
        return new Job(id, type, target, request, move(JobState.SUCCEEDED), JobPhase.DONE, createdAt, startedAt, now,
                progress, disks, warnings, null, restorePoint, result);
    }

    /** Ends the job FAILED or CANCELLED; the phase stays where it stopped, which tells where it went wrong. */
    public Job ended(JobState end, Instant now, JobFailure why) {
        if (end != JobState.FAILED && end != JobState.CANCELLED) {
            throw new IllegalArgumentException("a job ends unsuccessfully as FAILED or CANCELLED, not " + end);
        }
        return new Job(id, type, target, request, move(end), phase, createdAt, startedAt, now, progress, disks,
                warnings, why, restorePointId, check);
    }

    private JobState move(JobState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("job " + id + " cannot move from " + state + " to " + next);
        }
        return next;
    }
}
