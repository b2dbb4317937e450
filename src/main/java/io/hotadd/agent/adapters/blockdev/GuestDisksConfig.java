package io.hotadd.agent.adapters.blockdev;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where {@link SysfsGuestDisks} finds the proxy's disks and how it waits for them. The roots are separate so
 * the same code runs against the real {@code /dev} and {@code /sys} and against the test harness, which
 * publishes hot-added disks under folders of its own (see docs/vcsim-harness.md, "The proxy's block layer").
 *
 * @param devDir       device nodes by kernel name ({@code /dev}); used when a disk is found by its SCSI serial
 * @param byIdDir      udev's persistent links ({@code /dev/disk/by-id}), where VMware disks appear as
 *                     {@code wwn-0x<uuid>}
 * @param sysfsRoot    sysfs ({@code /sys}): sizes, SCSI addresses, rescan and delete
 * @param pollInterval how often to look again while waiting for a disk to appear or go
 * @param rescanGrace  how long a disk may take to appear on its own before its controller is rescanned
 */
public record GuestDisksConfig(Path devDir, Path byIdDir, Path sysfsRoot, Duration pollInterval,
                               Duration rescanGrace) {

    /**
     * PVSCSI announces a hot-added disk itself and udev makes the link a fraction of a second later (0.25 s
     * measured under qemu), so 100 ms polling costs nothing. A rescan is only for disks whose announcement
     * got lost; 5 s leaves a slow udev enough time before the agent starts probing the bus.
     */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_RESCAN_GRACE = Duration.ofSeconds(5);

    public GuestDisksConfig {
        Objects.requireNonNull(devDir, "devDir");
        Objects.requireNonNull(byIdDir, "byIdDir");
        Objects.requireNonNull(sysfsRoot, "sysfsRoot");
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        if (rescanGrace == null || rescanGrace.isNegative()) {
            throw new IllegalArgumentException("rescanGrace must be zero or positive, was " + rescanGrace);
        }
    }

    /** The real Linux locations with the default timings. */
    public static GuestDisksConfig linux() {
        return underRoots(Path.of("/dev"), Path.of("/dev/disk/by-id"), Path.of("/sys"));
    }

    /** Other roots (the harness prints them in its READY line) with the default timings. */
    public static GuestDisksConfig underRoots(Path devDir, Path byIdDir, Path sysfsRoot) {
        return new GuestDisksConfig(devDir, byIdDir, sysfsRoot, DEFAULT_POLL_INTERVAL, DEFAULT_RESCAN_GRACE);
    }

    public GuestDisksConfig withTimings(Duration pollInterval, Duration rescanGrace) {
        return new GuestDisksConfig(devDir, byIdDir, sysfsRoot, pollInterval, rescanGrace);
    }
}
