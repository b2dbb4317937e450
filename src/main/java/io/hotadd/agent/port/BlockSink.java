package io.hotadd.agent.port;

import java.nio.ByteBuffer;

/**
 * Where the bytes read from one disk go (the repository, or a plain image file). The engine hands over
 * data in ascending offset order within each call sequence, aligned to {@link #blockSize()}; blocks that
 * read as all zeros are reported as {@link #zeros} so an incremental can record that they are now empty.
 * Nothing written is visible to anyone until {@link #commit()} returns.
 */
public interface BlockSink extends AutoCloseable {

    /** Extents handed over start at multiples of this and span whole blocks (except at the disk's end). */
    int blockSize();

    /** Bytes from the buffer's position to its limit belong at {@code diskOffset}. The buffer is reused after return. */
    void data(long diskOffset, ByteBuffer data);

    /**
     * Like {@link #data(long, ByteBuffer)}, but the sink may go on reading {@code data} after returning, on
     * other threads, as long as it holds a claim on it (see {@link BufferHold}). This is how the engine's read
     * buffers reach the repository's workers without a copy. Sinks that finish with the bytes before
     * returning need not override it.
     */
    default void data(long diskOffset, ByteBuffer data, BufferHold hold) {
        data(diskOffset, data);
    }

    /** The range reads as zeros: store nothing, record a hole. */
    void zeros(long diskOffset, long length);

    /** Makes everything handed over durable and visible. */
    void commit();

    /** Drops everything handed over; nothing half-written stays visible. Idempotent. */
    void abort();

    /** Releases resources; aborts if neither commit nor abort was called. */
    @Override
    void close();
}
