package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.GuestDisk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's loop mode: the by-id link points at a real /dev/loopN, sysfs is fake. locate must protect
 * the real device with BLKROSET, and the disk must then read back exactly through O_DIRECT.
 */
class SysfsGuestDisksLoopTest {

    private static final String DISK = SysfsGuestDisksTest.DISK;
    private static final long SIZE = 4L << 20;

    @TempDir
    Path dir;

    private Path image;
    private LoopDevice loop;
    private FakeGuest guest;

    @BeforeEach
    void publishLoopDevice() throws Exception {
        LoopDevice.assumeAvailable();
        image = DiskContent.randomImage(dir.resolve("disk.img"), SIZE, 31);
        loop = LoopDevice.attach(image);
        guest = FakeGuest.create(dir.resolve("guest"));
        guest.disk(DISK).host(1).target(2).sizeBytes(SIZE).onDevice(loop.path()).publish();
    }

    @AfterEach
    void detach() throws Exception {
        if (guest != null) {
            guest.close();
        }
        if (loop != null) {
            loop.close();
        }
    }

    private SysfsGuestDisks disks() {
        return new SysfsGuestDisks(guest.config(Duration.ofMillis(5), Duration.ofSeconds(1)), WaitClock.system());
    }

    @Test
    void locateReadOnlySetsTheBlockLayerFlagAndTheDiskReadsBackExactly() throws Exception {
        GuestDisk disk = disks().locate(DISK, SIZE, Optional.empty(), true, Duration.ofSeconds(10));

        assertEquals(new GuestDisk(DISK, loop.path(), loop.name(), 1, 2, SIZE, true), disk);
        assertTrue(BlockIoctls.isReadOnly(loop.path()));
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> DirectBlockTarget.open(disk.device()));
        assertMentions(e, loop.path().toString(), "read-only");
        try (DirectBlockSource source = DirectBlockSource.open(disk.device())) {
            assertEquals(DiskContent.sha256(image), DiskContent.sha256(source, 1 << 20));
        }
    }

    @Test
    void locateWithoutReadOnlyLeavesTheDeviceWritableAndSaysSo() {
        GuestDisk disk = disks().locate(DISK, SIZE, Optional.empty(), false, Duration.ofSeconds(10));

        assertFalse(disk.readOnly());
        assertFalse(BlockIoctls.isReadOnly(loop.path()));
    }

    @Test
    void releaseClearsTheFlagSoAReusedLoopDeviceIsNotLeftReadOnly() throws Exception {
        SysfsGuestDisks disks = disks();
        disks.locate(DISK, SIZE, Optional.empty(), true, Duration.ofSeconds(10));
        guest.startReacting();

        disks.release(DISK, Duration.ofSeconds(10));

        assertEquals(List.of(loop.name()), guest.deleted());
        assertFalse(BlockIoctls.isReadOnly(loop.path()));
        assertEquals(Optional.empty(), disks.find(DISK));
    }

    @Test
    void aNodeWhoseDeviceNumberDiffersFromSysfsIsNotTakenForTheDisk() throws Exception {
        Path devAttribute = guest.config(Duration.ofMillis(5), Duration.ofSeconds(1)).sysfsRoot()
                .resolve("block").resolve(loop.name()).resolve("dev");
        String real = java.nio.file.Files.readString(Path.of("/sys/block", loop.name(), "dev")).trim();
        java.nio.file.Files.writeString(devAttribute, "7:999\n");

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, SIZE, Optional.empty(), false, Duration.ofMillis(300)));
        assertMentions(e, DISK, "did not appear");

        java.nio.file.Files.writeString(devAttribute, real + "\n");
        assertEquals(loop.path(), disks().locate(DISK, SIZE, Optional.empty(), false, Duration.ofSeconds(5)).device());
    }
}
