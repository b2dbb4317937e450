package io.hotadd.agent.adapters.blockdev;

import java.nio.file.Path;
import jnr.constants.platform.Errno;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.byref.IntByReference;
import jnr.ffi.byref.LongLongByReference;

/**
 * The Linux block-device ioctls the agent needs, called through libc with jnr-ffi (the JDK has no way to
 * issue an ioctl). Each call opens the device node for the duration of the call: read-only, except for the
 * two calls that clear a range ({@link #zeroOut}, {@link #punchHole}), which the kernel allows only on a
 * descriptor open for writing. The agent's I/O channels stay plain JDK FileChannels.
 *
 * <p>Request numbers use the generic Linux {@code _IO}/{@code _IOR} encoding, which x86_64 and aarch64
 * share (the appliance's architectures); powerpc, mips and sparc encode differently.
 *
 * <p>Native image: jnr-ffi generates the binding class with ASM at run time, which GraalVM cannot do. A
 * native build must run with {@code -Djnr.ffi.asm.enabled=false} (jnr then uses its reflective invoker) and
 * register {@link LibC} for reflection plus jffi's JNI entry points.
 */
public final class BlockIoctls {

    // <linux/fs.h>: _IO(0x12, nr) and, for BLKGETSIZE64, _IOR(0x12, 114, size_t).
    static final long BLKROSET = 0x125d;
    static final long BLKROGET = 0x125e;
    static final long BLKFLSBUF = 0x1261;
    static final long BLKSSZGET = 0x1268;
    static final long BLKGETSIZE64 = 0x80081272L;
    static final long BLKZEROOUT = 0x127f;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    // fallocate(2): free the range's blocks, keep the file's size (holes read as zeros).
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    // Linux generic value (x86_64, aarch64): keep the descriptor out of any child process.
    private static final int O_CLOEXEC = 0x80000;

    private BlockIoctls() {
    }

    /** The libc functions used; public only because jnr-ffi implements it by proxy. */
    public interface LibC {
        int open(String path, int flags);

        int close(int fd);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, @Out LongLongByReference result);

        // In and out: BLKSSZGET/BLKROGET write through it, BLKROSET reads from it.
        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, IntByReference value);

        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, long unused);

        // BLKZEROOUT reads a uint64_t[2] {start, length} through it.
        @Variadic(fixedCount = 2)
        int ioctl(int fd, long request, @In long[] range);

        int fallocate(int fd, int mode, long offset, long length);
    }

    // Loaded on first use, so code paths that never touch a block device (harness file mode) need no libc binding.
    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
    }

    /** BLKGETSIZE64: the device's size in bytes. */
    public static long sizeBytes(Path device) {
        LongLongByReference size = new LongLongByReference();
        call(device, "BLKGETSIZE64", fd -> Holder.LIBC.ioctl(fd, BLKGETSIZE64, size));
        return size.longValue();
    }

    /** BLKSSZGET: the logical block size, the smallest unit O_DIRECT may transfer. */
    public static int logicalBlockSize(Path device) {
        IntByReference sectorSize = new IntByReference();
        call(device, "BLKSSZGET", fd -> Holder.LIBC.ioctl(fd, BLKSSZGET, sectorSize));
        return sectorSize.intValue();
    }

    /** BLKROGET: whether the block layer refuses writes to the device. */
    public static boolean isReadOnly(Path device) {
        IntByReference flag = new IntByReference();
        call(device, "BLKROGET", fd -> Holder.LIBC.ioctl(fd, BLKROGET, flag));
        return flag.intValue() != 0;
    }

    /**
     * BLKROSET: makes the block layer refuse (or accept again) writes from anyone in this kernel, including
     * a filesystem that a careless mount would put on a hot-added disk. Needs CAP_SYS_ADMIN.
     */
    public static void setReadOnly(Path device, boolean readOnly) {
        IntByReference flag = new IntByReference(readOnly ? 1 : 0);
        call(device, "BLKROSET", fd -> Holder.LIBC.ioctl(fd, BLKROSET, flag));
    }

    /**
     * BLKFLSBUF: writes back and drops the device's page-cache pages, so a buffered reader (a tool run by
     * hand) does not see stale data after a restore wrote around the cache with O_DIRECT. Needs CAP_SYS_ADMIN.
     */
    public static void flushBuffers(Path device) {
        call(device, "BLKFLSBUF", fd -> Holder.LIBC.ioctl(fd, BLKFLSBUF, 0L));
    }

    /**
     * BLKZEROOUT: the range reads as zeros afterwards, done by the device where it can (WRITE SAME, UNMAP with
     * guaranteed zeros; a loop device punches a hole in its file) and by the kernel writing zeros where it
     * cannot. Needs a descriptor open for writing, so the device must not be read-only.
     */
    public static void zeroOut(Path device, long offset, long length) {
        long[] range = {offset, length};
        call(device, O_WRONLY, "BLKZEROOUT", fd -> Holder.LIBC.ioctl(fd, BLKZEROOUT, range));
    }

    /**
     * fallocate(PUNCH_HOLE | KEEP_SIZE) on a regular file (a disk image, or a disk the test harness publishes
     * as a file): the range reads as zeros and its blocks go back to the filesystem.
     */
    public static void punchHole(Path file, long offset, long length) {
        call(file, O_WRONLY, "fallocate(PUNCH_HOLE)",
                fd -> Holder.LIBC.fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length));
    }

    private interface IoctlCall {
        int apply(int fd);
    }

    private static void call(Path device, String request, IoctlCall ioctl) {
        call(device, O_RDONLY, request, ioctl);
    }

    private static void call(Path device, int access, String request, IoctlCall ioctl) {
        LibC libc = Holder.LIBC;
        int fd = libc.open(device.toString(), access | O_CLOEXEC);
        if (fd < 0) {
            throw failure(device, request, "open", lastErrno(libc));
        }
        try {
            if (ioctl.apply(fd) < 0) {
                throw failure(device, request, "ioctl", lastErrno(libc));
            }
        } finally {
            libc.close(fd);
        }
    }

    private static int lastErrno(LibC libc) {
        return Runtime.getRuntime(libc).getLastError();
    }

    private static BlockDeviceException failure(Path device, String request, String step, int errno) {
        Errno e = Errno.valueOf(errno);
        boolean known = e != null && e.defined();
        String name = known ? e.name() : "errno " + errno;
        String hint = switch (name) {
            case "ENOTTY", "EINVAL" -> "; it is not a block device (in harness file mode there is none)";
            case "EACCES", "EPERM" -> "; the agent needs CAP_SYS_ADMIN (it runs as root in the appliance)";
            case "ENOENT", "ENXIO", "ENODEV" -> "; the device is gone (detached, or deleted in the guest)";
            case "EOPNOTSUPP" -> "; the filesystem cannot punch holes: keep disk images on ext4 or xfs";
            case "EBADF", "EROFS" -> "; the disk is read-only (attached read-only, or BLKROSET): a restore needs"
                    + " it writable";
            default -> "";
        };
        String description = known ? " (" + e.description() + ")" : "";
        boolean retriable = "EINTR".equals(name) || "EIO".equals(name) || "EBUSY".equals(name);
        return new BlockDeviceException(request + " on " + device + " failed at " + step + ": " + name
                + description + hint, retriable);
    }
}
