package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import java.util.List;

/** What a running backup reports: the job API turns it into job state, progress and server-sent events. */
public interface JobObserver {

    void phase(JobPhase phase);

    /** The disks that will be read and how many bytes each (known after the changed areas were queried). */
    void disksPlanned(List<DiskProgress> disks);

    /** More bytes of a disk were read. Called from the reader threads. */
    void bytesRead(int diskKey, long bytes);

    void warning(String message);

    /** One disk's place in the job's progress. */
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
