package io.hotadd.agent.domain;

/**
 * How far a job's reads are.
 *
 * @param bytesTotal      bytes the job will read, known once the changed areas were queried (0 before)
 * @param rateBytesPerSec read rate over the last few seconds, 0 when nothing moved lately
 * @param etaSeconds      seconds left at that rate, or -1 when unknown (no rate yet, or nothing planned)
 * @param percent         0..100 with one decimal
 */
public record JobProgress(long bytesTotal, long bytesDone, long rateBytesPerSec, long etaSeconds, double percent) {
    public static final JobProgress NONE = new JobProgress(0, 0, 0, -1, 0);
}
