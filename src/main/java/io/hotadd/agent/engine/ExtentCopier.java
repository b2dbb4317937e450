package io.hotadd.agent.engine;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.port.BlockSink;
import io.hotadd.agent.port.BlockSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Copies extents of a disk from an O_DIRECT source into a sink. A reader task keeps the device busy while
 * the calling thread hands the previous buffers to the sink, so hashing and compressing downstream never
 * leave the device idle as long as a free buffer exists. Blocks that read as all zeros go to the sink as
 * holes, which is what makes an incremental record that a block was emptied. Buffers are handed over with
 * a {@link io.hotadd.agent.port.BufferHold}: a sink may keep working on one after data() returns, and the
 * buffer is read into again only when the sink lets go of it.
 */
public final class ExtentCopier {
    private final ExecutorService readers;
    private final BufferPool buffers;

    /**
     * @param readers executor for the reader tasks (one per disk being copied)
     * @param buffers aligned direct buffers shared by the copies; their size bounds one read
     */
    public ExtentCopier(ExecutorService readers, BufferPool buffers) {
        this.readers = readers;
        this.buffers = buffers;
    }

    /** Progress (bytes moved) and cancellation hooks for one copy. */
    public record Listener(LongConsumer bytesRead, BooleanSupplier cancelled) {
        public static Listener none() {
            return new Listener(n -> { }, () -> false);
        }
    }

    /**
     * Copies {@code extents} (normalised, aligned to the sink's block size and the source's alignment).
     *
     * @return the number of bytes read from the source
     */
    public long copy(BlockSource source, List<Extent> extents, BlockSink sink, Listener listener) {
        List<Extent> pieces = pieces(extents, source, sink);
        BlockingQueue<Filled> filled = new ArrayBlockingQueue<>(buffers.capacity() + 1);
        AtomicBoolean stop = new AtomicBoolean();
        BufferClaims claims = new BufferClaims(buffers);
        Future<?> reader = readers.submit(
                new ExtentReader(source::read, pieces, buffers, filled, listener.cancelled(), stop));
        long total = 0;
        try {
            for (int i = 0; i < pieces.size(); i++) {
                Filled f = take(filled, reader);
                int length = f.length();
                BufferClaims.Claim claim = claims.claim(f.buffer());
                try {
                    new ZeroSplitter(sink, sink.blockSize()).hand(f.offset(), f.buffer(), claim);
                } finally {
                    claim.release();
                }
                total += length;
                listener.bytesRead().accept(length);
            }
            return total;
        } finally {
            stop.set(true);
            awaitQuietly(reader);
            drain(filled, buffers);
            claims.awaitAll();
        }
    }

    /** The reader notices the stop flag within its poll interval; it is never interrupted mid-I/O. */
    static void awaitQuietly(Future<?> reader) {
        try {
            reader.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the reader reports its own failures through the queue; nothing more to learn here
        }
    }

    private List<Extent> pieces(List<Extent> extents, BlockSource source, BlockSink sink) {
        // both are powers of two, so the larger is a multiple of the smaller
        int unit = Math.max(sink.blockSize(), source.alignment());
        if (Integer.bitCount(sink.blockSize()) != 1 || Integer.bitCount(source.alignment()) != 1
                || buffers.bufferSize() % unit != 0) {
            throw new IllegalArgumentException("read buffer size " + buffers.bufferSize() + " must be a multiple of "
                    + "the sink's block size " + sink.blockSize() + " and the device alignment " + source.alignment()
                    + " (both powers of two)");
        }
        List<Extent> pieces = new ArrayList<>();
        Extents.split(Extents.alignOut(extents, unit, source.size()), buffers.bufferSize(), pieces::add);
        return pieces;
    }

    static Filled take(BlockingQueue<Filled> filled, Future<?> reader) {
        try {
            Filled f;
            while ((f = filled.poll(100, TimeUnit.MILLISECONDS)) == null) {
                if (reader.isDone() && filled.isEmpty()) {
                    throw new IllegalStateException("the disk reader stopped without a result", causeOf(reader));
                }
            }
            if (f.failure() != null) {
                throw f.failure();
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CopyCancelled("interrupted while copying disk extents");
        }
    }

    private static Throwable causeOf(Future<?> done) {
        try {
            done.get();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | java.util.concurrent.CancellationException e) {
            return e;
        }
    }

    static void drain(BlockingQueue<Filled> filled, BufferPool buffers) {
        for (Filled f; (f = filled.poll()) != null; ) {
            if (f.buffer() != null) {
                buffers.release(f.buffer());
            }
        }
    }

    /** A buffer the reader filled, or the reader's failure. */
    record Filled(long offset, ByteBuffer buffer, RuntimeException failure) {
        int length() {
            return buffer.remaining();
        }
    }
}
