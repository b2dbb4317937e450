package io.hotadd.agent.engine;

import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of direct buffers aligned for O_DIRECT, allocated once. Its size is the agent's memory
 * budget for disk reads: readers block when all buffers are in flight, which is the back-pressure that
 * keeps a fast disk from outrunning a slow repository.
 */
public final class BufferPool {
    /** Sector and page alignment: enough for every logical block size Linux reports (512 or 4096). */
    public static final int ALIGNMENT = 4096;

    private final BlockingQueue<ByteBuffer> free;
    private final int bufferSize;
    private final int capacity;

    public BufferPool(int buffers, int bufferSize) {
        if (buffers < 2 || bufferSize < ALIGNMENT || bufferSize % ALIGNMENT != 0) {
            throw new IllegalArgumentException("need at least 2 buffers of a multiple of " + ALIGNMENT
                    + " bytes; got " + buffers + " x " + bufferSize);
        }
        this.bufferSize = bufferSize;
        this.capacity = buffers;
        this.free = new ArrayBlockingQueue<>(buffers);
        for (int i = 0; i < buffers; i++) {
            free.add(ByteBuffer.allocateDirect(bufferSize + ALIGNMENT).alignedSlice(ALIGNMENT).limit(bufferSize)
                    .slice());
        }
    }

    public int bufferSize() {
        return bufferSize;
    }

    public int capacity() {
        return capacity;
    }

    public int available() {
        return free.size();
    }

    ByteBuffer poll(long timeout, java.util.concurrent.TimeUnit unit) throws InterruptedException {
        return free.poll(timeout, unit);
    }

    void release(ByteBuffer buffer) {
        buffer.clear();
        if (!free.offer(buffer)) {
            throw new IllegalStateException("a buffer was released twice");
        }
    }
}
