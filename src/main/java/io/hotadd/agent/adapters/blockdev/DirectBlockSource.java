package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.port.BlockSource;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A hot-added disk read with O_DIRECT, so a backup neither fills the proxy's page cache nor reads stale
 * cached blocks. Opened read-only: on a regular file (harness file mode), where there is no block layer to
 * set read-only, that is the only guarantee that the agent cannot write to a snapshot disk.
 *
 * <p>Thread-safe: reads are positional and share nothing but the descriptor.
 */
public final class DirectBlockSource implements BlockSource {

    private final DirectChannel channel;

    private DirectBlockSource(DirectChannel channel) {
        this.channel = channel;
    }

    /** Opens a block device or a regular file read-only with O_DIRECT. */
    public static DirectBlockSource open(Path device) {
        return new DirectBlockSource(DirectChannel.open(device, false));
    }

    /** The path this source was opened on. */
    public Path path() {
        return channel.path();
    }

    @Override
    public long size() {
        return channel.geometry().sizeBytes();
    }

    @Override
    public int alignment() {
        return channel.geometry().alignment();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The last block of a disk whose size is not a multiple of {@link #alignment()} may be read with a
     * shorter length, provided the buffer's capacity reaches the next multiple; the bytes past the limit
     * are scratch. After return the buffer's position equals its limit.
     *
     * @throws BlockDeviceException for a misaligned or heap buffer, a range outside the disk, the device
     *                              ending early (naming path and offset) or an I/O error
     */
    @Override
    public void read(long offset, ByteBuffer buffer) {
        channel.read(offset, buffer);
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public String toString() {
        return "DirectBlockSource[" + path() + ", " + size() + " bytes, alignment " + alignment() + "]";
    }
}
