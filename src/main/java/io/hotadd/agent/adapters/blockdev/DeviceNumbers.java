package io.hotadd.agent.adapters.blockdev;

import java.nio.file.Path;
import java.util.Optional;
import jnr.posix.FileStat;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The kernel's device number ({@code major:minor}) of a block device node, through jnr-posix's stat(2):
 * the JDK exposes {@code unix:rdev} only as an opaque long, with no portable split into major and minor.
 *
 * <p>Why: a hot-added disk is found by UUID through udev's links and sysfs, but the agent then opens a /dev
 * node. After a fast detach and re-attach the kernel may reuse a name (sdc) for another disk while a stale
 * node or link still points at the old one. Comparing the node's number with sysfs's {@code block/<name>/dev}
 * makes sure the agent reads the disk sysfs described, not whatever now sits behind the name.
 */
final class DeviceNumbers {

    private static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    private DeviceNumbers() {
    }

    /** {@code "8:32"} for a block device node; empty for anything else or when stat fails. */
    static Optional<String> of(Path node) {
        FileStat stat = POSIX.allocateStat();
        if (POSIX.stat(node.toString(), stat) != 0 || !stat.isBlockDev()) {
            return Optional.empty();
        }
        return Optional.of(format(stat.rdev()));
    }

    /**
     * glibc's gnu_dev_major/minor encoding of a Linux dev_t. Not {@code FileStat.major()}: jnr-posix 3.1
     * decodes with the old 8-bit split there and turns 7:0 into 0:1792.
     */
    static String format(long rdev) {
        long major = ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xffL) | ((rdev >>> 12) & ~0xffL);
        return major + ":" + minor;
    }
}
