package io.hotadd.agent.adapters.blockdev;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real loop device over a file, for tests that need the kernel's block layer (O_DIRECT on a block device,
 * ioctls). Needs root and losetup; tests are skipped, with the reason, where those are missing. Always
 * detach in a finally block or {@code @AfterEach}: loop devices are a machine-wide resource.
 */
final class LoopDevice implements AutoCloseable {

    private final Path device;

    private LoopDevice(Path device) {
        this.device = device;
    }

    /** Skips the calling test unless this process can create loop devices. */
    static void assumeAvailable() {
        assumeTrue("root".equals(System.getProperty("user.name")), "loop devices need root");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "no /dev/loop-control (modprobe loop)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/losetup")) || Files.isExecutable(Path.of("/sbin/losetup")),
                "losetup (util-linux) is not installed");
    }

    /** {@code losetup --find --show [extra options] file}. */
    static LoopDevice attach(Path file, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("losetup", "--find", "--show"));
        command.addAll(List.of(options));
        command.add(file.toString());
        String out = TestCommands.run(command.toArray(String[]::new)).trim();
        if (!out.startsWith("/dev/loop")) {
            throw new IOException("losetup printed '" + out + "' instead of a loop device");
        }
        LoopDevice loop = new LoopDevice(Path.of(out));
        if (!command.contains("--read-only")) {
            // A device another user left with BLKROSET set stays read-only across losetup; start clean.
            TestCommands.run("blockdev", "--setrw", out);
        }
        return loop;
    }

    Path path() {
        return device;
    }

    /** Kernel name, e.g. loop3. */
    String name() {
        return device.getFileName().toString();
    }

    /**
     * Clears the BLKROSET flag, then detaches. The kernel keeps that flag on the loop device after a detach,
     * so without the reset the next user of the same /dev/loopN (another test, another engineer) would get a
     * read-only device.
     */
    @Override
    public void close() throws IOException {
        try {
            TestCommands.run("blockdev", "--setrw", device.toString());
        } finally {
            TestCommands.run("losetup", "-d", device.toString());
        }
    }
}
