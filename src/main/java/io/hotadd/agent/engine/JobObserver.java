package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import java.util.List;

/**
 * What a running backup or restore reports: the job API turns it into job state, progress and server-sent
 * events.
 */
public interface JobObserver {

    void phase(JobPhase phase);

    /** The disks that will be read and how many bytes each (known after the changed areas were queried). */
    void disksPlanned(List<DiskProgress> disks);

    /** More bytes of a disk were read. Called from the reader threads. */
    void bytesRead(int diskKey, long bytes);

    /**
     * More bytes of a disk were written by a restore (key: the disk's key in the restore point). Called from
     * the writer threads. Counted as the job's bytes moved, like {@link #bytesRead}, unless overridden.
     */
    default void bytesWritten(int diskKey, long bytes) {
        bytesRead(diskKey, bytes);
    }

    void warning(String message);

    /** One disk's place in the job's progress; for a restore, {@code bytesToRead} is the data to write. */
    record DiskProgress(int key, String label, long capacityBytes, long bytesToRead, String changeId) {
    }

    JobObserver NONE = new JobObserver() {
        @Override
        public void phase(JobPhase phase) {
        }

        @Override
        public void disksPlanned(List<DiskProgress> disks) {
        }

        @Override
        public void bytesRead(int diskKey, long bytes) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
