package io.hotadd.agent.engine;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.ExtentCopier.Filled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The reader half of {@link ExtentCopier} and {@link ExtentWriter}: reads pieces in order into pooled buffers
 * and queues them. It is stopped by a flag, never by interrupting it: an interrupt during FileChannel I/O
 * closes the channel.
 */
final class ExtentReader implements Runnable {
    private static final long WAIT_MS = 50;

    /** Fills the buffer from its position to its limit with the bytes at {@code offset}. */
    @FunctionalInterface
    interface PieceSource {
        void read(long offset, ByteBuffer buffer);
    }

    private final PieceSource source;
    private final List<Extent> pieces;
    private final BufferPool buffers;
    private final BlockingQueue<Filled> filled;
    private final BooleanSupplier cancelled;
    private final AtomicBoolean stop;

    ExtentReader(PieceSource source, List<Extent> pieces, BufferPool buffers, BlockingQueue<Filled> filled,
                 BooleanSupplier cancelled, AtomicBoolean stop) {
        this.source = source;
        this.pieces = pieces;
        this.buffers = buffers;
        this.filled = filled;
        this.cancelled = cancelled;
        this.stop = stop;
    }

    @Override
    public void run() {
        for (Extent piece : pieces) {
            if (cancelled.getAsBoolean()) {
                offer(new Filled(piece.offset(), null, new CopyCancelled("copy cancelled at offset " + piece.offset())));
                return;
            }
            ByteBuffer buffer = acquire();
            if (buffer == null) {
                return;
            }
            Filled result = readInto(piece, buffer);
            if (!offer(result) || result.failure() != null) {
                return;
            }
        }
    }

    private ByteBuffer acquire() {
        try {
            while (!stop.get()) {
                ByteBuffer b = buffers.poll(WAIT_MS, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private Filled readInto(Extent piece, ByteBuffer buffer) {
        int length = Math.toIntExact(piece.length());
        try {
            buffer.clear().limit(length);
            source.read(piece.offset(), buffer);
            buffer.position(0).limit(length);
            return new Filled(piece.offset(), buffer, null);
        } catch (RuntimeException e) {
            buffers.release(buffer);
            return new Filled(piece.offset(), null, e);
        }
    }

    /** Queues a result unless the consumer has stopped; a result not queued gives its buffer back. */
    private boolean offer(Filled result) {
        try {
            while (!stop.get()) {
                if (filled.offer(result, WAIT_MS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (result.buffer() != null) {
            buffers.release(result.buffer());
        }
        return false;
    }
}
