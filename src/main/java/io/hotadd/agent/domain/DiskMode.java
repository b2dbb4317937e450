package io.hotadd.agent.domain;

/** vSphere's VirtualDiskMode. Independent disks are not captured by snapshots, so they cannot be backed up. */
public enum DiskMode {
    PERSISTENT("persistent"),
    NONPERSISTENT("nonpersistent"),
    UNDOABLE("undoable"),
    INDEPENDENT_PERSISTENT("independent_persistent"),
    INDEPENDENT_NONPERSISTENT("independent_nonpersistent"),
    APPEND("append");

    private final String wire;

    DiskMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean isIndependent() {
        return this == INDEPENDENT_PERSISTENT || this == INDEPENDENT_NONPERSISTENT;
    }

    public static DiskMode fromWire(String value) {
        for (DiskMode m : values()) {
            if (m.wire.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown virtual disk mode '" + value + "'");
    }
}
