package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.file.Path;

/** {@link DiskControl} done in this process: sysfs writes and the BLKROSET ioctl (root or a test tree). */
final class SysfsDiskControl implements DiskControl {

    private static final String RESCAN_ALL = "- - -";

    private final SysfsTree sysfs;

    SysfsDiskControl(SysfsTree sysfs) {
        this.sysfs = sysfs;
    }

    @Override
    public void rescan(int host) throws IOException {
        Path scan = sysfs.scanFile(host);
        try {
            sysfs.write(scan, RESCAN_ALL);
        } catch (IOException e) {
            throw new IOException("writing '" + RESCAN_ALL + "' to " + scan + " gave " + e, e);
        }
    }

    @Override
    public void delete(String name) throws IOException {
        Path delete = sysfs.deleteFile(name);
        try {
            sysfs.write(delete, "1");
        } catch (IOException e) {
            throw new IOException("writing 1 to " + delete + " failed: " + e, e);
        }
    }

    @Override
    public void setReadOnly(String name, Path device, boolean readOnly) {
        BlockIoctls.setReadOnly(device, readOnly);
    }

    @Override
    public String describe() {
        return "sysfs under " + sysfs.root();
    }
}
