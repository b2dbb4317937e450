package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What O_DIRECT I/O on a disk must respect: its size and the alignment of addresses, offsets and lengths.
 *
 * @param blockDevice true for a kernel block device (a hot-added disk, a loop device); false for a regular
 *                    file (the test harness in file mode publishes disks as plain files)
 * @param sizeBytes   the size at the time of probing
 * @param alignment   a power of two that every buffer address, offset and length must be a multiple of
 */
public record DeviceGeometry(boolean blockDevice, long sizeBytes, int alignment) {

    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFREG = 0100000;
    private static final int FALLBACK_ALIGNMENT = 4096;

    /**
     * Block devices: BLKGETSIZE64 and BLKSSZGET. Regular files: the file's length and the filesystem's
     * block size. Either way the alignment is at least the filesystem block size of the path itself: the
     * JDK's O_DIRECT channel refuses anything not aligned to the {@code f_frsize} of the filesystem that
     * holds the node it opened (devtmpfs says 4096 for /dev/sdX even when the disk has 512-byte sectors).
     */
    public static DeviceGeometry probe(Path path) {
        int mode = fileType(path);
        int jdkAlignment = filesystemBlockSize(path);
        if (mode == S_IFBLK) {
            int logical = BlockIoctls.logicalBlockSize(path);
            return new DeviceGeometry(true, BlockIoctls.sizeBytes(path), Math.max(logical, jdkAlignment));
        }
        if (mode == S_IFREG) {
            return new DeviceGeometry(false, regularFileSize(path), jdkAlignment);
        }
        throw new BlockDeviceException(path + " is neither a block device nor a regular file (mode 0"
                + Integer.toOctalString(mode) + "); point the agent at the disk's device node", false);
    }

    /** True for a block device node (following links); false for anything else, including nothing. */
    static boolean isBlockDevice(Path path) {
        try {
            return (((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT) == S_IFBLK;
        } catch (IOException e) {
            return false;
        }
    }

    private static int fileType(Path path) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode")) & S_IFMT;
        } catch (IOException e) {
            throw new BlockDeviceException("cannot stat disk " + path + ": " + e + "; the device may have been"
                    + " deleted or detached", true, e);
        }
    }

    private static long regularFileSize(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new BlockDeviceException("cannot read the size of " + path + ": " + e, true, e);
        }
    }

    // Falls back to 4096 (the page size, which every Linux filesystem's O_DIRECT accepts) when the
    // filesystem reports nothing usable.
    private static int filesystemBlockSize(Path path) {
        try {
            long size = Files.getFileStore(path).getBlockSize();
            if (size > 0 && size <= (1 << 20) && Long.bitCount(size) == 1) {
                return (int) size;
            }
            return FALLBACK_ALIGNMENT;
        } catch (IOException | UnsupportedOperationException e) {
            return FALLBACK_ALIGNMENT;
        }
    }
}
