package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;

import java.time.Duration;

/**
 * How long the agent waits for each kind of vCenter task before it gives up with a Timeout error. The
 * vCenter task is not cancelled when the agent stops waiting (it may be half-way through consolidating a
 * disk); the error says so.
 *
 * @param reconfigure    ReconfigVM_Task: CBT on/off, hot-adding and removing disks, managedBy
 * @param createSnapshot CreateSnapshot_Task; quiescing a busy guest can take minutes
 * @param removeSnapshot RemoveSnapshot_Task, which consolidates the snapshot's delta into its parent
 * @param consolidate    ConsolidateVMDisks_Task
 * @param linkedClone    CloneVM_Task of a linked clone (no data is copied, but vCenter may be busy)
 * @param destroy        Destroy_Task
 * @param createVm       CreateVM_Task of a restore; eager-zeroed thick disks are zeroed while it runs
 * @param powerOn        PowerOnVM_Task of a restored VM
 */
public record TaskDeadlines(Duration reconfigure, Duration createSnapshot, Duration removeSnapshot,
                            Duration consolidate, Duration linkedClone, Duration destroy, Duration createVm,
                            Duration powerOn) {

    public TaskDeadlines {
        requirePositive(reconfigure, "reconfigure");
        requirePositive(createSnapshot, "createSnapshot");
        requirePositive(removeSnapshot, "removeSnapshot");
        requirePositive(consolidate, "consolidate");
        requirePositive(linkedClone, "linkedClone");
        requirePositive(destroy, "destroy");
        requirePositive(createVm, "createVm");
        requirePositive(powerOn, "powerOn");
    }

    /**
     * 10 min for reconfigurations, destroy and power-on, 30 min for snapshots and clones, 60 min for
     * consolidation and for creating a VM (zeroing its eager-zeroed disks).
     */
    public static TaskDeadlines defaults() {
        return new TaskDeadlines(Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofMinutes(60),
                Duration.ofMinutes(60), Duration.ofMinutes(30), Duration.ofMinutes(10), Duration.ofMinutes(60),
                Duration.ofMinutes(10));
    }

    /** The same limit for every kind of task (tests, or an operator who wants one knob). */
    public static TaskDeadlines all(Duration limit) {
        return new TaskDeadlines(limit, limit, limit, limit, limit, limit, limit, limit);
    }

    private static void requirePositive(Duration limit, String what) {
        if (limit == null || limit.isNegative() || limit.isZero()) {
            throw new VSphereException.InvalidSettings("The deadline for vCenter '" + what + "' tasks must be"
                    + " positive, not " + limit + ". Defaults: 10 min to reconfigure, destroy or power on, 30 min to"
                    + " create a snapshot or a clone, 60 min to remove a snapshot, consolidate or create a VM.", null);
        }
    }
}
