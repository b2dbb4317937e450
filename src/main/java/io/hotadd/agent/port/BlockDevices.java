package io.hotadd.agent.port;

import io.hotadd.agent.domain.GuestDisk;

/** Opens located guest disks for unbuffered I/O. */
public interface BlockDevices {

    /** Opens the disk read-only with O_DIRECT. */
    BlockSource openForRead(GuestDisk disk);
}
