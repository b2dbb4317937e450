package io.hotadd.agent.adapters.blockdev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectBlockSourceTest {

    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void readsALoopDeviceWithODirectAndGetsTheFilesExactBytes() throws Exception {
        LoopDevice.assumeAvailable();
        Path image = DiskContent.randomImage(dir.resolve("disk.img"), 8L * MIB, 1);
        try (LoopDevice loop = LoopDevice.attach(image, "--read-only");
             DirectBlockSource source = DirectBlockSource.open(loop.path())) {
            assertEquals(8L * MIB, source.size());
            assertEquals(0, source.alignment() % BlockIoctls.logicalBlockSize(loop.path()));
            assertEquals(DiskContent.sha256(image), DiskContent.sha256(source, MIB));
        }
    }

    @Test
    void readsARegularFileWithODirectAsTheHarnessFileModePublishesIt() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("disk.img"), 3L * MIB, 2);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            assertEquals(3L * MIB, source.size());
            assertEquals(DiskContent.sha256(image), DiskContent.sha256(source, 256 * 1024));
        }
    }

    @Test
    void readsTheShortLastBlockOfALoopDeviceWhoseSizeIsNotAMultipleOfTheAlignment() throws Exception {
        LoopDevice.assumeAvailable();
        long size = MIB + 512;
        Path image = DiskContent.randomImage(dir.resolve("odd.img"), size, 3);
        try (LoopDevice loop = LoopDevice.attach(image, "--read-only");
             DirectBlockSource source = DirectBlockSource.open(loop.path())) {
            assertEquals(size, source.size());
            assertEquals(DiskContent.sha256(image), DiskContent.sha256(source, 64 * 1024));
        }
    }

    @Test
    void readsTheShortLastBlockOfARegularFile() throws Exception {
        long size = MIB + 1536;
        Path image = DiskContent.randomImage(dir.resolve("odd.img"), size, 4);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            ByteBuffer buffer = AlignedBuffers.allocate(source.alignment(), source.alignment()).limit(1536);
            source.read(MIB, buffer);
            assertEquals(1536, buffer.position());
            assertArrayEquals(DiskContent.bytesAt(image, MIB, 1536), DiskContent.remainingBytes(buffer.flip()));
        }
    }

    @Test
    void aShortLastBlockNeedsABufferThatCanHoldTheWholeBlock() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("odd.img"), MIB + 512, 5);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            ByteBuffer exact = AlignedBuffers.allocate(source.alignment(), source.alignment()).limit(512).slice();
            BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> source.read(MIB, exact));
            assertTrue(e.getMessage().contains("length 512") && e.getMessage().contains("no room"), e.getMessage());
        }
    }

    @Test
    void readingPastTheEndIsAnErrorNamingPathOffsetAndSize() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("disk.img"), MIB, 6);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            ByteBuffer buffer = AlignedBuffers.allocate(8192, source.alignment());
            BlockDeviceException e = assertThrows(BlockDeviceException.class,
                    () -> source.read(MIB - 4096, buffer));
            assertMentions(e, image.toString(), "offset " + (MIB - 4096), String.valueOf(MIB));
        }
    }

    @Test
    void aDeviceThatEndsEarlyMidReadIsAnErrorNamingPathAndOffset() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("shrinks.img"), MIB, 7);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(MIB / 2);
            }
            ByteBuffer buffer = AlignedBuffers.allocate(64 * 1024, source.alignment());
            BlockDeviceException e = assertThrows(BlockDeviceException.class,
                    () -> source.read(MIB / 2 - 4096, buffer));
            assertMentions(e, "unexpected end of " + image, "at offset " + MIB / 2);
        }
    }

    @Test
    void buffersThatODirectWouldRejectAreRefusedWithTheReason() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("disk.img"), MIB, 8);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            int align = source.alignment();
            ByteBuffer aligned = AlignedBuffers.allocate(4 * align, align);
            assertRefused(source, 0, ByteBuffer.allocate(align), "heap buffer");
            assertRefused(source, 0, aligned.duplicate().position(512).limit(512 + align), "address");
            assertRefused(source, 100, aligned.duplicate().limit(align), "offset 100");
            assertRefused(source, 0, aligned.duplicate().limit(1000), "length 1000");
            assertRefused(source, 0, aligned.asReadOnlyBuffer(), "read-only");
        }
    }

    @Test
    void concurrentReadersOfDisjointRangesEachGetTheirOwnBytes() throws Exception {
        Path image = DiskContent.randomImage(dir.resolve("disk.img"), 4L * MIB, 9);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (DirectBlockSource source = DirectBlockSource.open(image)) {
            List<Future<byte[]>> parts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long offset = (long) i * MIB;
                parts.add(pool.submit(() -> readRange(source, offset, MIB)));
            }
            for (int i = 0; i < 4; i++) {
                assertArrayEquals(DiskContent.bytesAt(image, (long) i * MIB, MIB), parts.get(i).get(), "part " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static byte[] readRange(DirectBlockSource source, long offset, int length) {
        ByteBuffer buffer = AlignedBuffers.allocate(length, source.alignment());
        source.read(offset, buffer);
        return DiskContent.remainingBytes(buffer.flip());
    }

    private static void assertRefused(DirectBlockSource source, long offset, ByteBuffer buffer, String reason) {
        BlockDeviceException e = assertThrows(BlockDeviceException.class, () -> source.read(offset, buffer));
        assertMentions(e, "O_DIRECT", source.path().toString(), reason);
        assertTrue(!e.isRetriable(), "a misuse is not retriable: " + e.getMessage());
    }

    static void assertMentions(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
        }
    }
}
