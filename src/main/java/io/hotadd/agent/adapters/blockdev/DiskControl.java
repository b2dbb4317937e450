package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The three operations on the proxy's SCSI disks that Linux reserves for root: probing a SCSI host for new
 * targets ({@code /sys/class/scsi_host/hostN/scan}, mode 0200), removing a disk from the guest
 * ({@code /sys/block/sdX/device/delete}, mode 0200) and the BLKROSET ioctl (CAP_SYS_ADMIN).
 *
 * <p>In the appliance the agent runs as an unprivileged user and asks the root helper
 * ({@link #helper(Path, Duration)}, see docs/appliance.md "Privilege model"), which checks that the disk is a
 * VMware virtual disk the OS does not use before it acts. Tests and a root agent use {@link #direct(Path)}.
 */
public interface DiskControl {

    /** Asks SCSI host {@code host} to probe all its channels, targets and LUNs ("- - -"). */
    void rescan(int host) throws IOException;

    /** Removes the SCSI device behind whole disk {@code name} (sdX) from the guest. */
    void delete(String name) throws IOException;

    /**
     * Makes the block layer refuse ({@code readOnly}) or accept writes to disk {@code name}.
     *
     * @param device the device node of {@code name}, for implementations that call the ioctl themselves
     * @throws BlockDeviceException when the flag could not be set
     */
    void setReadOnly(String name, Path device, boolean readOnly);

    /** Where the operations go, for error messages: "sysfs under /sys" or "the root helper at ...". */
    String describe();

    /** Writes sysfs under {@code sysfsRoot} and calls the ioctl itself: needs root (or a test tree). */
    static DiskControl direct(Path sysfsRoot) {
        return new SysfsDiskControl(new SysfsTree(sysfsRoot));
    }

    /** Sends each operation to the root helper listening on the AF_UNIX stream socket {@code socket}. */
    static DiskControl helper(Path socket, Duration timeout) {
        return new HelperDiskControl(socket, timeout);
    }

    /** How long one helper request may take: a SCSI rescan probes every target of the bus. */
    Duration HELPER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The agent's choice, for the boot wiring: the helper when {@code hotadd.blockdev.helper-socket} is set
     * (the appliance's first-boot step always sets it), else the direct operations under {@code sysfsRoot}.
     */
    static DiskControl forAgent(java.util.Optional<Path> helperSocket, Path sysfsRoot) {
        return helperSocket.map(socket -> helper(socket, HELPER_TIMEOUT)).orElseGet(() -> direct(sysfsRoot));
    }
}
