package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ioctls against real loop devices: the numbers are right and BLKROSET really stops writes. */
class BlockIoctlsTest {

    private static final long SIZE = 3L << 20;

    @TempDir
    Path dir;

    private Path image;
    private LoopDevice loop;

    @BeforeEach
    void attachWritableLoop() throws Exception {
        LoopDevice.assumeAvailable();
        image = DiskContent.randomImage(dir.resolve("disk.img"), SIZE, 11);
        loop = LoopDevice.attach(image);
    }

    @AfterEach
    void detachLoop() throws Exception {
        if (loop != null) {
            loop.close();
        }
    }

    @Test
    void sizeAndLogicalBlockSizeAreTheKernels() throws Exception {
        assertEquals(SIZE, BlockIoctls.sizeBytes(loop.path()));
        assertEquals(Long.parseLong(TestCommands.run("blockdev", "--getsize64", loop.path().toString()).trim()),
                BlockIoctls.sizeBytes(loop.path()));
        assertEquals(512, BlockIoctls.logicalBlockSize(loop.path()));
    }

    @Test
    void logicalBlockSizeFollowsA4kSectorDevice() throws Exception {
        try (LoopDevice fourK = LoopDevice.attach(image, "--sector-size", "4096", "--read-only")) {
            assertEquals(4096, BlockIoctls.logicalBlockSize(fourK.path()));
            int alignment = DeviceGeometry.probe(fourK.path()).alignment();
            assertTrue(alignment >= 4096 && alignment % 4096 == 0, "alignment " + alignment);
        }
    }

    @Test
    void readOnlyFlagRoundTripsAndStopsWritesThroughTheBlockLayer() {
        assertFalse(BlockIoctls.isReadOnly(loop.path()));
        BlockIoctls.setReadOnly(loop.path(), true);
        assertTrue(BlockIoctls.isReadOnly(loop.path()));
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> writeOneBlock(loop.path()));
        assertMentions(e, loop.path().toString(), "read-only");

        BlockIoctls.setReadOnly(loop.path(), false);
        assertFalse(BlockIoctls.isReadOnly(loop.path()));
        writeOneBlock(loop.path());
    }

    @Test
    void theKernelItselfRefusesWritesAfterBlkrosetEvenOnADescriptorOpenedBefore() {
        try (DirectBlockTarget target = DirectBlockTarget.open(loop.path())) {
            ByteBuffer block = AlignedBuffers.allocate(target.alignment(), target.alignment());
            BlockIoctls.setReadOnly(loop.path(), true);
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> target.write(0, block));
            assertMentions(e, "write", loop.path().toString(), "offset 0", "read-only");
            assertFalse(e.isRetriable());
        }
    }

    @Test
    void flushingBuffersKeepsWrittenData() throws Exception {
        byte[] written = writeOneBlock(loop.path());
        BlockIoctls.flushBuffers(loop.path());
        assertArrayEquals(written, DiskContent.bytesAt(loop.path(), 0, written.length));
    }

    @Test
    void anIoctlOnARegularFileSaysItIsNotABlockDevice() {
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> BlockIoctls.sizeBytes(image));
        assertMentions(e, "BLKGETSIZE64", image.toString(), "ENOTTY", "not a block device");
        assertFalse(e.isRetriable());
    }

    @Test
    void anIoctlOnAMissingDeviceSaysItIsGone() {
        Path missing = dir.resolve("sdzz");
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> BlockIoctls.isReadOnly(missing));
        assertMentions(e, "BLKROGET", missing.toString(), "ENOENT", "gone");
    }

    private static byte[] writeOneBlock(Path device) {
        try (DirectBlockTarget target = DirectBlockTarget.open(device)) {
            ByteBuffer block = AlignedBuffers.allocate(target.alignment(), target.alignment());
            byte[] pattern = new byte[target.alignment()];
            Arrays.fill(pattern, (byte) 0x5a);
            block.put(pattern).flip();
            target.write(0, block);
            target.flush();
            return pattern;
        }
    }
}
