package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.ExtentCopier.Listener;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BlockTarget;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The restore's pipelined O_DIRECT writer: exact bytes, zero skipping on a new disk, alignment, failures. */
class ExtentWriterTest {
    private static final int BLOCK = 64 << 10;
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final BufferPool pool = new BufferPool(4, 256 << 10);

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    /** 1 MiB + 1 KiB of random data with two zero blocks (2 and 3) inside its one data extent. */
    private static byte[] image() {
        byte[] d = new byte[(1 << 20) + 1024];
        new Random(11).nextBytes(d);
        Arrays.fill(d, 2 * BLOCK, 4 * BLOCK, (byte) 0);
        return d;
    }

    @Test
    void writesTheImageExactlyAndOnANewDiskSkipsItsZeroBlocks() {
        byte[] d = image();
        RecordingTarget target = new RecordingTarget(d.length, 512);
        long n = new ExtentWriter(readers, pool).write(new ArrayImage(d), List.of(new Extent(0, d.length)), target,
                Listener.none(), true);
        assertEquals(d.length, n);
        assertArrayEquals(d, target.disk);
        assertTrue(target.writes.stream().noneMatch(w -> w[0] < 4 * BLOCK && w[0] + w[1] > 2 * BLOCK),
                "zero blocks 2-3 never written: " + target.writtenRanges());
        assertEquals(pool.capacity(), pool.available(), "every buffer back in the pool");
    }

    @Test
    void onADiskWithOtherDataZerosAreWrittenAndUntouchedRangesAreNamed() {
        byte[] d = image();
        RecordingTarget target = new RecordingTarget(2 << 20, 4096);
        Arrays.fill(target.disk, (byte) 0x55);
        ExtentWriter writer = new ExtentWriter(readers, pool);
        List<Extent> extents = List.of(new Extent(0, 2 * BLOCK), new Extent(5 * BLOCK, 100));
        writer.write(new ArrayImage(d), extents, target, Listener.none(), false);

        assertArrayEquals(Arrays.copyOf(d, 2 * BLOCK), Arrays.copyOf(target.disk, 2 * BLOCK));
        assertArrayEquals(Arrays.copyOfRange(d, 5 * BLOCK, 5 * BLOCK + 4096),
                Arrays.copyOfRange(target.disk, 5 * BLOCK, 5 * BLOCK + 4096), "grown to the 4 KiB alignment");
        assertEquals(List.of(new Extent(2 * BLOCK, 3 * BLOCK), Extent.ofRange(5 * BLOCK + 4096, 2 << 20)),
                writer.untouched(extents, d.length, target));
    }

    @Test
    void pastTheImagesEndATargetThatIsLargerGetsZeros() {
        byte[] d = image(); // its last 1 KiB is a partial 4 KiB block
        RecordingTarget target = new RecordingTarget(2 << 20, 4096);
        Arrays.fill(target.disk, (byte) 0x55);
        new ExtentWriter(readers, pool).write(new ArrayImage(d), List.of(new Extent(1 << 20, 1024)), target,
                Listener.none(), false);
        assertArrayEquals(Arrays.copyOfRange(d, 1 << 20, d.length),
                Arrays.copyOfRange(target.disk, 1 << 20, d.length));
        assertArrayEquals(new byte[3072], Arrays.copyOfRange(target.disk, d.length, (1 << 20) + 4096));
    }

    @Test
    void aRepositoryFailureReachesTheCallerAndNoBufferIsLost() {
        byte[] d = image();
        ArrayImage image = new ArrayImage(d);
        IllegalStateException damaged = new IllegalStateException("chunk damaged");
        image.failAtOffset = 512 << 10;
        image.failure = damaged;
        RuntimeException e = assertThrows(RuntimeException.class, () -> new ExtentWriter(readers, pool).write(image,
                List.of(new Extent(0, d.length)), new RecordingTarget(d.length, 512), Listener.none(), true));
        assertSame(damaged, e);
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void aWriteFailureStopsTheReaderAndACancelledCopyWritesNothing() {
        byte[] d = image();
        RecordingTarget failing = new RecordingTarget(d.length, 512);
        failing.failAt = 256 << 10;
        assertThrows(IllegalStateException.class, () -> new ExtentWriter(readers, pool).write(new ArrayImage(d),
                List.of(new Extent(0, d.length)), failing, Listener.none(), false));
        assertEquals(pool.capacity(), pool.available());
        RecordingTarget untouched = new RecordingTarget(d.length, 512);
        assertThrows(CopyCancelled.class, () -> new ExtentWriter(readers, pool).write(new ArrayImage(d),
                List.of(new Extent(0, d.length)), untouched, new Listener(n -> { }, () -> true), false));
        assertEquals(List.of(), untouched.writtenRanges());
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void aTargetSmallerThanTheImageIsRefused() {
        byte[] d = image();
        assertThrows(IllegalArgumentException.class, () -> new ExtentWriter(readers, pool).write(new ArrayImage(d),
                List.of(new Extent(0, 4096)), new RecordingTarget(1 << 20, 512), Listener.none(), true));
    }

    /** A restore point's disk in memory; reads may be made to fail at one offset. */
    private static final class ArrayImage implements DiskImage {
        private final byte[] bytes;
        volatile long failAtOffset = -1;
        volatile RuntimeException failure;

        ArrayImage(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public long capacityBytes() {
            return bytes.length;
        }

        @Override
        public List<Extent> dataExtents() {
            return List.of(new Extent(0, bytes.length));
        }

        @Override
        public void read(long offset, ByteBuffer buffer) {
            if (offset == failAtOffset) {
                throw failure;
            }
            if (offset + buffer.remaining() > bytes.length) {
                throw new IllegalArgumentException("read past the image's end at " + offset);
            }
            buffer.put(bytes, Math.toIntExact(offset), buffer.remaining());
        }

        @Override
        public void exportSparse(Path image) {
            throw new UnsupportedOperationException("not used by the writer");
        }

        @Override
        public void writeTo(WritableByteChannel out) {
            throw new UnsupportedOperationException("not used by the writer");
        }

        @Override
        public void close() {
        }
    }

    /** A device in memory that checks O_DIRECT's rules and remembers every write. */
    private static final class RecordingTarget implements BlockTarget {
        final byte[] disk;
        final int alignment;
        final List<long[]> writes = new ArrayList<>();
        volatile long failAt = -1;

        RecordingTarget(int size, int alignment) {
            this.disk = new byte[size];
            this.alignment = alignment;
        }

        @Override
        public long size() {
            return disk.length;
        }

        @Override
        public int alignment() {
            return alignment;
        }

        @Override
        public synchronized void write(long offset, ByteBuffer buffer) {
            int length = buffer.remaining();
            boolean atEnd = offset + length == disk.length;
            if (!buffer.isDirect() || offset % alignment != 0 || (length % alignment != 0 && !atEnd)
                    || buffer.alignmentOffset(buffer.position(), alignment) != 0) {
                throw new IllegalArgumentException("not an O_DIRECT write: " + length + " bytes at " + offset);
            }
            if (failAt >= offset && failAt < offset + length) {
                throw new IllegalStateException("EIO at " + offset);
            }
            buffer.get(disk, Math.toIntExact(offset), length);
            writes.add(new long[] {offset, length});
        }

        @Override
        public void zeroOut(long offset, long length) {
            Arrays.fill(disk, Math.toIntExact(offset), Math.toIntExact(offset + length), (byte) 0);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        List<String> writtenRanges() {
            return writes.stream().map(w -> w[0] + "+" + w[1]).toList();
        }
    }
}
