package io.hotadd.agent.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job stands. Backup phases are listed in backup order; the restore phases sit beside the backup
 * phases they mirror (a restore creates a VM where a backup clones one, writes where a backup reads). The
 * cleanup phases of a backup run in exactly their listed order whatever happened before, because a device
 * must leave the guest before its disk leaves the proxy, the disk before its clone is destroyed, and the clone
 * before the snapshot it depends on is removed; a failed restore's half-made VM is destroyed only once its
 * disks have left the proxy.
 */
public enum JobPhase {
    QUEUED,
    PREFLIGHT,
    ENABLING_CBT,
    /** Restore into an existing VM: change tracking off while its disks are overwritten (VDDK's advice). */
    DISABLING_CBT,
    DISABLING_METHODS,
    SNAPSHOTTING,
    CLONING,
    /** Restore to a new VM: CreateVM_Task from the captured configuration, with new empty disks. */
    CREATING_VM,
    /** Restore to a new VM: the captured NVRAM goes back through vCenter's file service. */
    UPLOADING_NVRAM,
    WAITING_FOR_SLOTS,
    ATTACHING,
    LOCATING,
    READING,
    /** Restore: the restore point's data extents are written to the hot-added disks (or the image). */
    WRITING,
    RELEASING_DEVICES,
    DETACHING,
    /** Restore cleanup: the VM a failed restore created is destroyed, after its disks left the proxy. */
    DESTROYING_VM,
    DESTROYING_CLONE,
    REMOVING_SNAPSHOT,
    ENABLING_METHODS,
    /** Restore to a new VM, when asked: the finished VM is powered on. */
    POWERING_ON,
    COMMITTING,
    DONE;

    private static final Set<JobPhase> CLEANUP = EnumSet.of(RELEASING_DEVICES, DETACHING, DESTROYING_VM,
            DESTROYING_CLONE, REMOVING_SNAPSHOT, ENABLING_METHODS);

    /** Whether the phase takes back a side effect of the job (it runs after a failure too). */
    public boolean isCleanup() {
        return CLEANUP.contains(this);
    }
}
