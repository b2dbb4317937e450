package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.port.BlockDevices;
import io.hotadd.agent.port.BlockSource;
import io.hotadd.agent.port.BlockTarget;

/** {@link BlockDevices} on Linux: O_DIRECT file channels on the located device. */
public final class DirectBlockDevices implements BlockDevices {

    @Override
    public BlockSource openForRead(GuestDisk disk) {
        return DirectBlockSource.open(disk.device());
    }

    @Override
    public BlockTarget openForWrite(GuestDisk disk) {
        return DirectBlockTarget.open(disk.device());
    }
}
