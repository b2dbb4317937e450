package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.port.BlockTarget;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A disk opened for writing with O_DIRECT, for restores: the hot-added target disk (or, against the test
 * harness, its file). Writes bypass the page cache, so nothing is acknowledged that only sits in the
 * proxy's memory; {@link #flush()} makes it durable. Thread-safe for writes to disjoint ranges.
 *
 * <p>The device must not have been made read-only (BLKROSET) and must exist; a target is never created.
 */
public final class DirectBlockTarget implements BlockTarget {

    private final DirectChannel channel;

    private DirectBlockTarget(DirectChannel channel) {
        this.channel = channel;
    }

    /**
     * Opens an existing block device or regular file for O_DIRECT writes. A block device the kernel holds
     * read-only is refused here: Linux would let the open succeed and fail every write with EPERM.
     */
    public static DirectBlockTarget open(Path device) {
        DirectChannel channel = DirectChannel.open(device, true);
        if (channel.geometry().blockDevice() && BlockIoctls.isReadOnly(device)) {
            channel.close();
            throw new BlockDeviceException(device + " is read-only at the block layer (BLKROSET, or the disk was"
                    + " attached read-only), so a restore cannot write to it; attach the target disk writable, or"
                    + " clear the flag with DiskControl.setReadOnly(false) (the root helper's rwset in the appliance)",
                    false);
        }
        return new DirectBlockTarget(channel);
    }

    public Path path() {
        return channel.path();
    }

    /** Size of the disk in bytes. */
    @Override
    public long size() {
        return channel.geometry().sizeBytes();
    }

    /** The alignment buffer addresses, offsets and lengths must respect. */
    @Override
    public int alignment() {
        return channel.geometry().alignment();
    }

    /**
     * Writes the buffer from its position to its limit at {@code offset}, looping until all of it is written.
     * Same alignment rules as {@link DirectBlockSource#read}, including the short last block: there the
     * bytes between the limit and the next multiple of the alignment are written too but fall past the
     * disk's end (a device ignores them; a regular file is cut back to its size).
     */
    @Override
    public void write(long offset, ByteBuffer buffer) {
        channel.write(offset, buffer);
    }

    /**
     * BLKZEROOUT on a block device, a punched hole in a regular file: either way the range reads as zeros
     * and, on a thin disk or a sparse file, costs no space.
     */
    @Override
    public void zeroOut(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size() || offset % alignment() != 0
                || (length % alignment() != 0 && offset + length != size())) {
            throw new BlockDeviceException("cannot zero " + length + " bytes at offset " + offset + " of " + path()
                    + " (" + size() + " bytes, alignment " + alignment() + "): the range must be aligned and inside"
                    + " the disk", false);
        }
        if (length == 0) {
            return;
        }
        if (channel.geometry().blockDevice()) {
            BlockIoctls.zeroOut(path(), offset, length);
        } else {
            BlockIoctls.punchHole(path(), offset, length);
        }
    }

    /** fdatasync: everything written before this call is durable when it returns. */
    @Override
    public void flush() {
        channel.force();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "DirectBlockTarget[" + path() + ", " + size() + " bytes, alignment " + alignment() + "]";
    }
}
