package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.port.GuestDisks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link GuestDisks} for a Linux proxy: udev's by-id links, sysfs and block ioctls, under the roots of a
 * {@link GuestDisksConfig} so the same code runs against the real system and against the test harness.
 *
 * <p>Read-only protection: on a block device {@code locate(..., readOnly=true)} sets BLKROSET, so nothing in
 * this kernel can write to the disk. A regular file (the harness in file mode) has no block layer; there the
 * guarantee is that {@link DirectBlockSource} opens it read-only, and {@link GuestDisk#readOnly()} reports
 * the harness's sysfs {@code ro} flag, not a protection this class set.
 */
public final class SysfsGuestDisks implements GuestDisks {

    private final GuestDisksConfig config;
    private final WaitClock clock;
    private final SysfsTree sysfs;
    private final DiskLookup lookup;
    private final DiskControl control;

    /** Does the root-only operations itself ({@link DiskControl#direct}): for tests and a root agent. */
    public SysfsGuestDisks(GuestDisksConfig config, WaitClock clock) {
        this(config, clock, DiskControl.direct(config.sysfsRoot()));
    }

    /** @param control where rescans, deletes and BLKROSET go; in the appliance, {@link DiskControl#helper} */
    public SysfsGuestDisks(GuestDisksConfig config, WaitClock clock, DiskControl control) {
        this.config = config;
        this.clock = clock;
        this.sysfs = new SysfsTree(config.sysfsRoot());
        this.lookup = new DiskLookup(config, sysfs);
        this.control = control;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Only the anchor's SCSI host is rescanned, once, after {@link GuestDisksConfig#rescanGrace()}: a
     * rescan probes every target on the bus, and other controllers may be busy with other jobs' disks.
     * Without an anchor no rescan is done.
     *
     * @throws BlockDeviceException when the disk does not appear in time (retriable) or has another size (not)
     */
    @Override
    public GuestDisk locate(String uuid, long expectedBytes, Optional<String> rescanAnchorUuid, boolean readOnly,
                            Duration deadline) {
        String id = GuestDisk.canonicalUuid(uuid);
        long start = clock.nanoTime();
        String rescan = null;
        while (true) {
            Optional<GuestDisk> disk = lookup.find(id);
            if (disk.isPresent()) {
                return prepare(disk.get(), expectedBytes, readOnly);
            }
            Duration waited = Duration.ofNanos(clock.nanoTime() - start);
            if (rescan == null && waited.compareTo(config.rescanGrace()) >= 0) {
                rescan = rescanHostOf(rescanAnchorUuid);
            }
            if (waited.compareTo(deadline) >= 0) {
                throw notAppeared(id, deadline, rescan == null ? "no rescan (the deadline is shorter than the"
                        + " rescan grace period " + config.rescanGrace() + ")" : rescan);
            }
            pause(deadline.minus(waited), "disk " + id + " to appear");
        }
    }

    @Override
    public Optional<GuestDisk> find(String uuid) {
        return lookup.find(GuestDisk.canonicalUuid(uuid));
    }

    /**
     * {@inheritDoc}
     *
     * <p>A block device is made writable again first (BLKROSET 0). On VMware the device disappears anyway;
     * a loop device of the test harness is reused for later disks and would otherwise keep the flag.
     */
    @Override
    public void release(String uuid, Duration deadline) {
        String id = GuestDisk.canonicalUuid(uuid);
        Optional<GuestDisk> found = lookup.find(id);
        if (found.isEmpty()) {
            return;
        }
        GuestDisk disk = found.get();
        if (DeviceGeometry.isBlockDevice(disk.device()) && disk.readOnly()) {
            control.setReadOnly(disk.name(), disk.device(), false);
        }
        requestDelete(disk);
        waitUntilGone(disk, deadline);
    }

    @Override
    public List<GuestDisk> visible() {
        return lookup.visible();
    }

    private GuestDisk prepare(GuestDisk disk, long expectedBytes, boolean readOnly) {
        if (disk.sizeBytes() != expectedBytes) {
            throw new BlockDeviceException("disk " + disk.uuid() + " at " + disk.device() + " (SCSI host "
                    + disk.scsiHost() + " target " + disk.scsiTarget() + ") is " + disk.sizeBytes()
                    + " bytes according to " + sysfs.blockEntry(disk.name()).resolve("size") + ", but vCenter says " + expectedBytes
                    + " bytes; it is not the disk that was attached, or a stale device: release it and attach again",
                    false);
        }
        if (!readOnly || !DeviceGeometry.isBlockDevice(disk.device())) {
            return disk;
        }
        control.setReadOnly(disk.name(), disk.device(), true);
        boolean nowReadOnly = BlockIoctls.isReadOnly(disk.device());
        if (!nowReadOnly) {
            throw new BlockDeviceException("BLKROSET on " + disk.device() + " (disk " + disk.uuid() + ") succeeded"
                    + " but BLKROGET still says writable; refusing to read a disk that the proxy could write to",
                    false);
        }
        return new GuestDisk(disk.uuid(), disk.device(), disk.name(), disk.scsiHost(), disk.scsiTarget(),
                disk.sizeBytes(), true);
    }

    /** Rescans the anchor's SCSI host; returns what happened, for the timeout error. */
    private String rescanHostOf(Optional<String> anchorUuid) {
        if (anchorUuid.isEmpty()) {
            return "no rescan (no anchor disk was given to tell which SCSI host to rescan)";
        }
        String anchor = GuestDisk.canonicalUuid(anchorUuid.get());
        Optional<GuestDisk> anchorDisk = lookup.find(anchor);
        if (anchorDisk.isEmpty()) {
            return "no rescan (the anchor disk " + anchor + " is not visible either, " + lookup.describeAbsence(anchor)
                    + ")";
        }
        int host = anchorDisk.get().scsiHost();
        try {
            control.rescan(host);
            return "rescanned SCSI host " + host + " (the host of anchor disk " + anchor + ") after "
                    + config.rescanGrace() + " through " + control.describe();
        } catch (IOException e) {
            return "the rescan of SCSI host " + host + " failed: " + e.getMessage();
        }
    }

    private BlockDeviceException notAppeared(String uuid, Duration deadline, String rescan) {
        return new BlockDeviceException("disk " + uuid + " did not appear in the proxy within " + deadline
                + ": looked for " + lookup.wwnLink(uuid) + " and for a disk in " + sysfs.root().resolve("block")
                + " with that UUID as SCSI serial (vpd_pg80) or wwid, " + lookup.describeAbsence(uuid) + "; " + rescan
                + ". Check that the proxy VM has disk.EnableUUID=TRUE (without it Linux sees no UUID), that the disk"
                + " was added to the same PVSCSI controller as the anchor disk, and that the controller is"
                + " present in the guest (ls " + sysfs.root().resolve("class/scsi_host") + ")", true);
    }

    private void requestDelete(GuestDisk disk) {
        try {
            control.delete(disk.name());
        } catch (IOException e) {
            if (lookup.find(disk.uuid()).isEmpty()) {
                return; // it went away on its own between the look and the write
            }
            throw new BlockDeviceException("cannot remove disk " + disk.uuid() + " (" + disk.device() + ") from the"
                    + " guest: " + e.getMessage(), !(e instanceof HelperDiskControl.HelperRefused), e);
        }
    }

    private void waitUntilGone(GuestDisk disk, Duration deadline) {
        long start = clock.nanoTime();
        while (true) {
            List<String> left = leftovers(disk);
            if (left.isEmpty()) {
                return;
            }
            Duration waited = Duration.ofNanos(clock.nanoTime() - start);
            if (waited.compareTo(deadline) >= 0) {
                throw new BlockDeviceException("disk " + disk.uuid() + " (" + disk.device() + ", SCSI host "
                        + disk.scsiHost() + " target " + disk.scsiTarget() + ") is still in the guest " + deadline
                        + " after asking " + control.describe() + " to delete " + disk.name() + ": "
                        + String.join(" and ", left)
                        + " remain. Do not detach it from the VM yet; close what holds it open and release again",
                        true);
            }
            pause(deadline.minus(waited), "disk " + disk.uuid() + " to leave the guest");
        }
    }

    /** What still shows the disk: its by-id link, its sysfs block entry. */
    private List<String> leftovers(GuestDisk disk) {
        List<String> left = new ArrayList<>(2);
        if (sysfs.hasBlock(disk.name())) {
            left.add(sysfs.blockEntry(disk.name()).toString());
        }
        if (Files.exists(lookup.wwnLink(disk.uuid()), LinkOption.NOFOLLOW_LINKS)) {
            left.add(lookup.wwnLink(disk.uuid()).toString());
        }
        return left;
    }

    private void pause(Duration left, String waitingFor) {
        Duration nap = left.compareTo(config.pollInterval()) < 0 ? left : config.pollInterval();
        try {
            clock.sleep(nap);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlockDeviceException("interrupted while waiting for " + waitingFor, true, e);
        }
    }
}
