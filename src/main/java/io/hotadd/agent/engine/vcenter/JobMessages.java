package io.hotadd.agent.engine.vcenter;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.engine.Names;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * What a vSphere administrator reads about a job: the task's description, the events' messages, the task's
 * error and the "Last backup" value. Each names the job, so it can be matched with the agent's API, its log
 * and the snapshot or clone named after it.
 */
final class JobMessages {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private JobMessages() {
    }

    static String started(Job job, String agent) {
        return "HotAdd " + kind(job) + " job " + job.id() + " of VM '" + job.target().name() + "' started by " + agent
                + (job.request() != null && job.request().mode() != null ? " (mode " + mode(job) + ")" : "")
                + ". Its snapshot and temporary clone are named " + Names.PREFIX + job.id() + "...";
    }

    static String ended(Job job) {
        String what = "HotAdd " + kind(job) + " job " + job.id() + " of VM '" + job.target().name() + "'";
        return switch (job.state()) {
            case SUCCEEDED -> what + " succeeded" + (job.restorePointId() != null ? ": restore point "
                    + job.restorePointId() : "") + read(job) + ".";
            case CANCELLED -> what + " was cancelled" + (job.failure() != null ? ": " + job.failure().detail() : ".");
            default -> what + " failed in phase " + phase(job.phase()) + ": " + (job.failure() != null
                    ? job.failure().detail() : "no reason given");
        };
    }

    /** The task's error: the job's own message, which names the object and what to do. */
    static String error(Job job, boolean cancelledInVcenter) {
        if (job.state() == JobState.CANCELLED) {
            return (cancelledInVcenter ? "Cancelled from vCenter. " : "Cancelled. ")
                    + (job.failure() != null ? job.failure().detail() : "");
        }
        return job.failure() != null ? job.failure().title() + ": " + job.failure().detail()
                : "The job failed in phase " + phase(job.phase());
    }

    static String description(Job job) {
        String now = job.state() == JobState.SUCCEEDED ? "Done" : phase(job.phase());
        String text = "Job " + job.id() + ": " + now;
        if (job.progress().bytesTotal() > 0) {
            text += String.format(Locale.ROOT, " (%s of %s read)", size(job.progress().bytesDone()),
                    size(job.progress().bytesTotal()));
        }
        return text;
    }

    static String cleanupPhase(Job job) {
        String id = job.id();
        String action = switch (job.phase()) {
            case RELEASING_DEVICES -> "releasing the hot-added disks inside the proxy's Linux";
            case DETACHING -> "detaching the hot-added disks from the proxy VM";
            case DESTROYING_VM -> "destroying the VM the failed restore created";
            case DESTROYING_CLONE -> "destroying the temporary linked clone " + Names.clone(id, job.target().name());
            case REMOVING_SNAPSHOT -> "removing the backup snapshot " + Names.snapshot(id);
            case ENABLING_METHODS -> "allowing Storage vMotion of the VM again";
            default -> phase(job.phase());
        };
        return "HotAdd " + kind(job) + " job " + id + " cleanup: " + action + ".";
    }

    /** The value of the "Last backup" attribute: when, which restore point, which job. */
    static String lastBackup(Job job) {
        return TIME.format(job.finishedAt()) + ", restore point " + job.restorePointId() + ", job " + job.id();
    }

    static String phase(JobPhase phase) {
        return switch (phase) {
            case QUEUED -> "queued";
            case PREFLIGHT -> "checking the VM";
            case ENABLING_CBT -> "enabling changed block tracking";
            case DISABLING_CBT -> "disabling changed block tracking";
            case DISABLING_METHODS -> "blocking Storage vMotion for the job";
            case SNAPSHOTTING -> "taking the backup snapshot";
            case CLONING -> "creating a temporary linked clone";
            case CREATING_VM -> "creating the VM";
            case UPLOADING_NVRAM -> "uploading the NVRAM";
            case WAITING_FOR_SLOTS -> "waiting for free SCSI slots on the proxy";
            case ATTACHING -> "hot-adding the disks to the proxy";
            case LOCATING -> "finding the disks in the proxy";
            case READING -> "reading changed blocks";
            case WRITING -> "writing the disks";
            case POWERING_ON -> "powering the VM on";
            case COMMITTING -> "committing the restore point";
            case VERIFYING -> "verifying the repository";
            case DONE -> "done";
            default -> phase.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }

    private static String read(Job job) {
        return job.progress().bytesTotal() > 0 ? ", " + size(job.progress().bytesDone()) + " read" : "";
    }

    private static String kind(Job job) {
        return job.type().name().toLowerCase(Locale.ROOT);
    }

    private static String mode(Job job) {
        return job.request().mode().name().toLowerCase(Locale.ROOT);
    }

    static String size(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
    }
}
