package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where open(O_DIRECT) fails with EINVAL the agent must say so plainly instead of "Invalid argument".
 * tmpfs refused O_DIRECT until Linux 6.6 (Debian 12's 6.1 still does); ramfs refuses it on every kernel,
 * so it stands in for old tmpfs on machines whose kernel is newer.
 */
class FilesystemWithoutDirectIoTest {

    @TempDir
    Path dir;

    @Test
    void ramfsHasNoODirectAndTheErrorSaysSoNamingPathAndFilesystem() throws Exception {
        LoopDevice.assumeAvailable(); // the same root check: mounting needs it
        Path mountPoint = Files.createDirectory(dir.resolve("ramfs"));
        mountRamfs(mountPoint);
        try {
            Path image = DiskContent.randomImage(mountPoint.resolve("disk.img"), 64 * 1024, 1);
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> DirectBlockSource.open(image));
            assertMentions(e, image.toString(), "O_DIRECT is not supported", "ramfs", "tmpfs");
            assertFalse(e.isRetriable());
        } finally {
            TestCommands.run("umount", mountPoint.toString());
        }
    }

    @Test
    void devShmIsRefusedWithAClearErrorOnKernelsWhoseTmpfsLacksODirect() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && "tmpfs".equals(Files.getFileStore(shm).type()), "/dev/shm is not tmpfs");
        Path image = Files.createTempFile(shm, "blockdev-test-", ".img");
        try {
            DiskContent.randomImage(image, 64 * 1024, 2);
            if (kernelAtLeast(6, 6)) {
                try (DirectBlockSource source = DirectBlockSource.open(image)) {
                    assertEquals(DiskContent.sha256(image), DiskContent.sha256(source, 4096));
                }
            } else {
                BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> DirectBlockSource.open(image));
                assertMentions(e, image.toString(), "O_DIRECT is not supported", "tmpfs");
            }
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static void mountRamfs(Path mountPoint) {
        try {
            TestCommands.run("mount", "-t", "ramfs", "ramfs", mountPoint.toString());
        } catch (IOException e) {
            assumeTrue(false, "cannot mount ramfs here: " + e.getMessage());
        }
    }

    private static boolean kernelAtLeast(int major, int minor) {
        String[] parts = System.getProperty("os.version").split("[.-]");
        int kernelMajor = Integer.parseInt(parts[0]);
        int kernelMinor = Integer.parseInt(parts[1]);
        return kernelMajor > major || (kernelMajor == major && kernelMinor >= minor);
    }
}
