package io.hotadd.agent.domain;

/**
 * One thing recovery or the orphan sweep did (or, in a dry run, would do) to take back what a job left
 * behind: logged, counted in metrics and reported to vCenter as an event.
 *
 * @param origin  {@code journal} (an unfinished job's recorded undo) or {@code sweep} (found in vCenter
 *                without trusting the journal)
 * @param kind    what kind of undo: release-devices, detach-disks, destroy-clone, destroy-restored-vm,
 *                remove-snapshot, enable-change-tracking, enable-methods
 * @param jobId   the job that left it, when known, else null
 * @param vmMoref the VM acted on (the proxy for devices and disks), when known
 * @param detail  one sentence naming the object, for logs, events and dry-run listings
 * @param error   why it failed (outcome FAILED) or was left alone (SKIPPED), else null
 */
public record CleanupAction(String origin, String kind, String jobId, String vmMoref, String detail,
                            Outcome outcome, String error) {

    public enum Outcome {
        /** Dry run: would be done. */
        PLANNED,
        DONE,
        FAILED,
        /** Left alone on purpose, e.g. because an earlier step of the same job failed. */
        SKIPPED
    }

    public CleanupAction with(Outcome o, String why) {
        return new CleanupAction(origin, kind, jobId, vmMoref, detail, o, why);
    }
}
