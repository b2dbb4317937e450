package io.hotadd.agent.adapters.blockdev;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One O_DIRECT channel on a disk, shared by {@link DirectBlockSource} and {@link DirectBlockTarget}: opening
 * with clear errors, and positional transfers that loop until done. Positional I/O (pread/pwrite) keeps no
 * file position, so any number of threads may transfer at once; the caller's direct buffer is handed to
 * the kernel as is, without a copy.
 *
 * <p>A thread interrupted during a transfer makes the JDK close the channel for every thread. Cancel work
 * by closing the source or by checking a flag between reads, never by interrupting a reader.
 */
final class DirectChannel implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;
    private final DeviceGeometry geometry;

    private DirectChannel(Path path, FileChannel channel, DeviceGeometry geometry) {
        this.path = path;
        this.channel = channel;
        this.geometry = geometry;
    }

    /** Opens {@code path} (which must exist) with O_DIRECT, read-only unless {@code writable}. */
    static DirectChannel open(Path path, boolean writable) {
        DeviceGeometry geometry = DeviceGeometry.probe(path);
        OpenOption access = writable ? StandardOpenOption.WRITE : StandardOpenOption.READ;
        try {
            return new DirectChannel(path, FileChannel.open(path, access, ExtendedOpenOption.DIRECT), geometry);
        } catch (FileSystemException e) {
            throw openFailure(path, access, e);
        } catch (IOException e) {
            throw new BlockDeviceException("cannot open " + path + " for O_DIRECT " + access + ": " + e, true, e);
        }
    }

    Path path() {
        return path;
    }

    DeviceGeometry geometry() {
        return geometry;
    }

    /** Fills the buffer from position to limit with the bytes at {@code offset}; see {@link DirectBlockSource#read}. */
    void read(long offset, ByteBuffer buffer) {
        transfer(offset, buffer, false);
    }

    /** Writes the buffer's remaining bytes at {@code offset}; see {@link DirectBlockTarget#write}. */
    void write(long offset, ByteBuffer buffer) {
        int length = buffer.remaining();
        transfer(offset, buffer, true);
        if (!geometry.blockDevice() && length % geometry.alignment() != 0) {
            // A rounded-up tail write extended the file past the disk's size; a device would have cut it.
            truncateToSize();
        }
    }

    /** fdatasync: data written so far is on stable storage (the hypervisor's disk) when this returns. */
    void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new BlockDeviceException("fdatasync of " + path + " failed: " + e + "; data written since the"
                    + " last successful flush may be lost, write it again", true, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new BlockDeviceException("closing " + path + " failed: " + e, false, e);
        }
    }

    private void transfer(long offset, ByteBuffer buffer, boolean write) {
        int length = buffer.remaining();
        long end = offset + length;
        if (offset < 0 || end > geometry.sizeBytes()) {
            throw new BlockDeviceException((write ? "write" : "read") + " of " + length + " bytes at offset " + offset
                    + " is outside " + path + ", which is " + geometry.sizeBytes() + " bytes", false);
        }
        // The last block of a disk whose size is not a multiple of the alignment can only be transferred
        // whole; the kernel stops at the end of the device, so the bytes past it are never real data.
        boolean endsAtDeviceEnd = end == geometry.sizeBytes();
        AlignedBuffers.requireUsable(buffer, offset, geometry.alignment(), endsAtDeviceEnd, path.toString());
        int start = buffer.position();
        int callerLimit = buffer.limit();
        buffer.limit(start + roundUp(length, geometry.alignment()));
        try {
            transferLoop(offset, buffer, start + length, write);
        } finally {
            buffer.limit(callerLimit);
        }
    }

    private void transferLoop(long offset, ByteBuffer buffer, int stopAt, boolean write) {
        int start = buffer.position();
        while (buffer.position() < stopAt) {
            long position = offset + (buffer.position() - start);
            int done;
            try {
                done = write ? channel.write(buffer, position) : channel.read(buffer, position);
            } catch (IOException e) {
                throw ioFailure(write, position, stopAt - buffer.position(), e);
            }
            if (done <= 0) {
                throw new BlockDeviceException("unexpected end of " + path + " at offset " + position + " while "
                        + (write ? "writing" : "reading") + " " + (stopAt - start) + " bytes at offset " + offset
                        + "; it was " + geometry.sizeBytes() + " bytes when opened, so it shrank or was replaced",
                        false);
            }
        }
    }

    private BlockDeviceException ioFailure(boolean write, long position, int left, IOException e) {
        String op = (write ? "write" : "read") + " of " + left + " bytes at offset " + position + " on " + path;
        if (e instanceof ClosedByInterruptException) {
            return new BlockDeviceException(op + " was interrupted; the JDK closed the channel for all threads,"
                    + " reopen the disk (cancel by closing, not by interrupting readers)", true, e);
        }
        if (e instanceof AsynchronousCloseException || e instanceof ClosedChannelException) {
            return new BlockDeviceException(op + " failed: the disk was closed", false, e);
        }
        if (write && isReadOnlyBlockDevice()) {
            return new BlockDeviceException(op + " failed: " + e + "; the block layer holds the disk read-only"
                    + " (BLKROSET, or attached read-only), a restore needs it writable", false, e);
        }
        return new BlockDeviceException(op + " failed: " + e + "; if the disk was detached or deleted in the"
                + " guest, locate it again", true, e);
    }

    // Only to explain a failed write; a failing ioctl here must not hide the original error.
    private boolean isReadOnlyBlockDevice() {
        try {
            return geometry.blockDevice() && BlockIoctls.isReadOnly(path);
        } catch (BlockDeviceException e) {
            return false;
        }
    }

    private void truncateToSize() {
        try {
            channel.truncate(geometry.sizeBytes());
        } catch (IOException e) {
            throw new BlockDeviceException("cannot cut " + path + " back to " + geometry.sizeBytes()
                    + " bytes after writing its last block: " + e, true, e);
        }
    }

    private static int roundUp(int length, int alignment) {
        return (length + alignment - 1) & -alignment;
    }

    // EINVAL from open(O_DIRECT) means the filesystem has no direct I/O. The errno only reaches us as
    // localised text, so tell it apart from other failures by opening once more without O_DIRECT.
    private static BlockDeviceException openFailure(Path path, OpenOption access, FileSystemException e) {
        if (opensWithoutDirect(path, access)) {
            return new BlockDeviceException("O_DIRECT is not supported on " + path + " (filesystem "
                    + filesystemType(path) + "; tmpfs before Linux 6.6 and ramfs have no direct I/O): put the disk"
                    + " image on ext4 or xfs, or open the block device itself", false, e);
        }
        return new BlockDeviceException("cannot open " + path + " for O_DIRECT " + access + ": "
                + e.getReason() + "; check that the disk is still attached and the agent runs as root", true, e);
    }

    private static boolean opensWithoutDirect(Path path, OpenOption access) {
        try (FileChannel probe = FileChannel.open(path, access)) {
            return probe.isOpen();
        } catch (IOException e) {
            return false;
        }
    }

    private static String filesystemType(Path path) {
        try {
            return Files.getFileStore(path).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
