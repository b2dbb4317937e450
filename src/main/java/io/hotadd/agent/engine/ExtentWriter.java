package io.hotadd.agent.engine;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.engine.ExtentCopier.Filled;
import io.hotadd.agent.engine.ExtentCopier.Listener;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BlockTarget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The restore side of {@link ExtentCopier}: writes extents of a restore point's disk image to an O_DIRECT
 * target. A reader task decodes the repository's chunks into aligned pooled buffers ahead of the calling
 * thread, which writes them, so decompression and decryption never leave the device idle while a free buffer
 * exists (VDDK's unbuffered HotAdd restore: sector-aligned buffers, the page cache bypassed).
 */
public final class ExtentWriter {
    /** Granularity of zero skipping on a new disk: VMFS's smallest thin allocation unit is 64 KiB or more. */
    static final int ZERO_BLOCK = 64 << 10;

    private final ExecutorService readers;
    private final BufferPool buffers;

    /**
     * @param readers executor for the reader tasks (one per disk being written)
     * @param buffers aligned direct buffers shared by the writes; their size bounds one write
     */
    public ExtentWriter(ExecutorService readers, BufferPool buffers) {
        this.readers = readers;
        this.buffers = buffers;
    }

    /**
     * Writes {@code extents} of {@code image} (sorted, within its capacity) to the same offsets of
     * {@code target}, grown to the target's alignment. Beyond the image's capacity (a target disk larger than
     * the backed-up one, or the rest of a last block) zeros are written.
     *
     * @param targetReadsZeros the target is a new, empty disk: blocks that are all zeros are not written, so a
     *                         thin disk allocates only what holds data
     * @return the bytes handed to the target or skipped as zeros (the progress the listener saw)
     */
    public long write(DiskImage image, List<Extent> extents, BlockTarget target, Listener listener,
                      boolean targetReadsZeros) {
        List<Extent> pieces = pieces(extents, image.capacityBytes(), target);
        BlockingQueue<Filled> filled = new ArrayBlockingQueue<>(buffers.capacity() + 1);
        AtomicBoolean stop = new AtomicBoolean();
        long capacity = image.capacityBytes();
        Future<?> reader = readers.submit(new ExtentReader((offset, buffer) -> readImage(image, capacity, offset,
                buffer), pieces, buffers, filled, listener.cancelled(), stop));
        long total = 0;
        try {
            for (int i = 0; i < pieces.size(); i++) {
                Filled f = ExtentCopier.take(filled, reader);
                int length = f.length();
                try {
                    if (targetReadsZeros) {
                        writeSkippingZeroBlocks(target, f.offset(), f.buffer());
                    } else {
                        target.write(f.offset(), f.buffer());
                    }
                } finally {
                    buffers.release(f.buffer());
                }
                total += length;
                listener.bytesRead().accept(length);
            }
            return total;
        } finally {
            stop.set(true);
            ExtentCopier.awaitQuietly(reader);
            ExtentCopier.drain(filled, buffers);
        }
    }

    /**
     * Writes the runs of blocks that hold data and skips all-zero blocks, so a new thin disk allocates only
     * what the backup held even where the repository's extents are coarser than the data. A block is
     * {@link #ZERO_BLOCK} bytes (or the device alignment, if larger): each run starts aligned in memory and on
     * the disk.
     */
    private static void writeSkippingZeroBlocks(BlockTarget target, long offset, ByteBuffer buffer) {
        int block = Math.max(ZERO_BLOCK, target.alignment());
        int length = buffer.remaining();
        int runStart = -1;
        for (int pos = 0; pos < length; pos += block) {
            boolean zero = ZeroSplitter.isZero(buffer, pos, Math.min(block, length - pos));
            if (!zero && runStart < 0) {
                runStart = pos;
            } else if (zero && runStart >= 0) {
                target.write(offset + runStart, buffer.duplicate().position(runStart).limit(pos));
                runStart = -1;
            }
        }
        if (runStart >= 0) {
            target.write(offset + runStart, buffer.duplicate().position(runStart).limit(length));
        }
    }

    /**
     * The ranges of {@code target} that {@link #write} with these extents leaves untouched: what a restore over
     * an existing disk must clear, so that the disk reads exactly as the image (holes as zeros).
     */
    public List<Extent> untouched(List<Extent> extents, long imageCapacity, BlockTarget target) {
        List<Extent> gaps = new ArrayList<>();
        long at = 0;
        for (Extent piece : Extents.normalize(pieces(extents, imageCapacity, target))) {
            if (piece.offset() > at) {
                gaps.add(Extent.ofRange(at, piece.offset()));
            }
            at = piece.end();
        }
        if (at < target.size()) {
            gaps.add(Extent.ofRange(at, target.size()));
        }
        return gaps;
    }

    private List<Extent> pieces(List<Extent> extents, long imageCapacity, BlockTarget target) {
        int unit = target.alignment();
        if (Integer.bitCount(unit) != 1 || buffers.bufferSize() % unit != 0) {
            throw new IllegalArgumentException("write buffer size " + buffers.bufferSize() + " must be a multiple of"
                    + " the device alignment " + unit + " (a power of two)");
        }
        if (target.size() < imageCapacity) {
            throw new IllegalArgumentException("the target disk holds " + target.size() + " bytes, less than the "
                    + imageCapacity + " bytes of the backed-up disk");
        }
        long limit = Math.min(target.size(), Math.floorDiv(imageCapacity + unit - 1, unit) * unit);
        List<Extent> pieces = new ArrayList<>();
        Extents.split(Extents.alignOut(extents, unit, limit), buffers.bufferSize(), pieces::add);
        return pieces;
    }

    /** The image's bytes where it has them; zeros past its capacity. */
    private static void readImage(DiskImage image, long capacity, long offset, ByteBuffer buffer) {
        int length = buffer.remaining();
        int readable = (int) Math.max(0, Math.min(length, capacity - offset));
        int start = buffer.position();
        if (readable > 0) {
            image.read(offset, buffer.duplicate().limit(start + readable));
        }
        for (int i = start + readable; i < start + length; i++) {
            buffer.put(i, (byte) 0);
        }
    }
}
