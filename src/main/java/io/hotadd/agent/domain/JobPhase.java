package io.hotadd.agent.domain;

/**
 * Where a backup stands, in workflow order. The cleanup phases run in exactly this order whatever happened
 * before, because a device must leave the guest before its disk leaves the proxy, the disk before its clone
 * is destroyed, and the clone before the snapshot it depends on is removed.
 */
public enum JobPhase {
    QUEUED,
    PREFLIGHT,
    ENABLING_CBT,
    DISABLING_METHODS,
    SNAPSHOTTING,
    CLONING,
    WAITING_FOR_SLOTS,
    ATTACHING,
    LOCATING,
    READING,
    RELEASING_DEVICES,
    DETACHING,
    DESTROYING_CLONE,
    REMOVING_SNAPSHOT,
    ENABLING_METHODS,
    COMMITTING,
    DONE;

    public boolean isCleanup() {
        return compareTo(RELEASING_DEVICES) >= 0 && compareTo(ENABLING_METHODS) <= 0;
    }
}
