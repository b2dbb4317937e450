package io.hotadd.agent.domain;

/**
 * A place for a disk on the proxy: SCSI controller bus number and unit number. Ordered bus first, then
 * unit, which is the order vSphere's HotAdd expects disks and controllers to be added in.
 */
public record ScsiSlot(int bus, int unit) implements Comparable<ScsiSlot> {
    /** The SCSI controller itself occupies unit 7 on every bus. */
    public static final int CONTROLLER_UNIT = 7;

    public ScsiSlot {
        if (bus < 0 || unit < 0 || unit == CONTROLLER_UNIT) {
            throw new IllegalArgumentException("invalid SCSI slot " + bus + ":" + unit
                    + " (unit " + CONTROLLER_UNIT + " belongs to the controller)");
        }
    }

    @Override
    public int compareTo(ScsiSlot o) {
        int c = Integer.compare(bus, o.bus);
        return c != 0 ? c : Integer.compare(unit, o.unit);
    }

    @Override
    public String toString() {
        return "SCSI(" + bus + ":" + unit + ")";
    }
}
