package io.hotadd.agent.port;

import io.hotadd.agent.domain.GuestDisk;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The proxy's own view of its SCSI disks, inside the guest (Linux: /dev, /dev/disk/by-id, /sys).
 * Disks are identified only by their VMware disk UUID (backing.uuid, visible because the proxy has
 * disk.EnableUUID=TRUE), never by sdX names, which Linux hands out in whatever order it likes.
 */
public interface GuestDisks {

    /**
     * Waits until the disk with {@code uuid} shows up, rescanning only its controller's SCSI host if it has
     * not appeared after a short grace period, then checks that its size equals {@code expectedBytes} and, if
     * asked, makes it read-only at the block layer (BLKROSET) so nothing in the proxy can write to it.
     *
     * @param rescanAnchorUuid UUID of a disk already on the same controller (the proxy's OS disk or that
     *                         controller's dummy), used to find which SCSI host to rescan
     * @throws io.hotadd.agent.domain.AgentException if it does not appear before {@code deadline}, or the
     *                                               size differs
     */
    GuestDisk locate(String uuid, long expectedBytes, Optional<String> rescanAnchorUuid, boolean readOnly,
                     Duration deadline);

    /** The disk with this UUID if the guest sees it now. */
    Optional<GuestDisk> find(String uuid);

    /**
     * Removes the disk from the guest (writes 1 to its scsi_device {@code delete} file) and waits until it
     * is gone, so the hypervisor can detach it without pulling a device out from under Linux. Idempotent:
     * a disk the guest does not see is already released.
     */
    void release(String uuid, Duration deadline);

    /** All VMware disks the guest sees now (for the recovery sweep and the proxy status). */
    List<GuestDisk> visible();
}
