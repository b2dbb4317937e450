package io.hotadd.agent.engine.jobs;

import java.time.Duration;

/**
 * How the job engine behaves; the boot layer maps configuration onto it.
 *
 * @param maxJobs          jobs running at once (each also needs free SCSI slots for its disks)
 * @param progressInterval the least time between two progress events of one job
 * @param rateWindow       the sliding window the read rate is measured over
 * @param retention        how long finished jobs (and their idempotency keys) are kept
 */
public record JobEngineSettings(int maxJobs, Duration progressInterval, Duration rateWindow, Duration retention) {
    public JobEngineSettings {
        require(maxJobs >= 1 && maxJobs <= 64, "max jobs must be 1..64", maxJobs);
        require(!progressInterval.isNegative(), "the progress interval must not be negative", progressInterval);
        require(rateWindow.toMillis() >= 1000, "the rate window must be at least 1 s", rateWindow);
        require(retention.toMinutes() >= 1, "finished jobs must be kept at least a minute", retention);
    }

    public static JobEngineSettings defaults() {
        return new JobEngineSettings(4, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofDays(7));
    }

    private static void require(boolean ok, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException(rule + "; got " + value);
        }
    }
}
