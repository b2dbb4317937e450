package io.hotadd.agent.port;

import io.hotadd.agent.domain.GuestDisk;

/** Opens located guest disks for unbuffered I/O. */
public interface BlockDevices {

    /** Opens the disk read-only with O_DIRECT. */
    BlockSource openForRead(GuestDisk disk);

    /**
     * Opens the disk for O_DIRECT writes (a restore). The disk must have been located writable: a device the
     * block layer holds read-only is refused here rather than failing on the first write.
     */
    BlockTarget openForWrite(GuestDisk disk);
}
