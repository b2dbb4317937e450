package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.domain.AgentException;

/**
 * A failure of the proxy's block layer: a disk that did not show up, a device that cannot be opened with
 * O_DIRECT, a read that hit the end of a device, an ioctl the kernel refused. Messages name the object (disk
 * UUID, path, offset) and what to do about it.
 *
 */
public class BlockDeviceException extends AgentException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public BlockDeviceException(String message, boolean retriable) {
        super(message);
        this.retriable = retriable;
    }

    public BlockDeviceException(String message, boolean retriable, Throwable cause) {
        super(message, cause);
        this.retriable = retriable;
    }

    /**
     * True when the same call may succeed later without anyone changing configuration (an I/O error on a
     * device that may come back, a disk that was still on its way); false for wrong input or setup.
     */
    @Override
    public boolean isRetriable() {
        return retriable;
    }
}
