package io.hotadd.agent.domain;

/**
 * One disk of a job and how much of it was read.
 *
 * @param bytesToRead bytes of allocated or changed areas the job reads from it
 * @param changeId    the CBT change id the restore point records for it (null without CBT)
 */
public record JobDisk(int key, String label, long capacityBytes, long bytesToRead, long bytesRead, String changeId) {
    public JobDisk withBytesRead(long read) {
        return new JobDisk(key, label, capacityBytes, bytesToRead, read, changeId);
    }
}
