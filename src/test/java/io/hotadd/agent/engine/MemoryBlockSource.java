package io.hotadd.agent.engine;

import io.hotadd.agent.port.BlockSource;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** A disk in memory for engine tests; checks alignment the way O_DIRECT would. */
final class MemoryBlockSource implements BlockSource {
    final byte[] disk;
    final AtomicInteger reads = new AtomicInteger();
    private final int alignment;
    volatile RuntimeException failAt;
    volatile long failOffset = -1;

    MemoryBlockSource(byte[] disk, int alignment) {
        this.disk = disk;
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
    public void read(long offset, ByteBuffer buffer) {
        if (offset % alignment != 0 || buffer.remaining() % alignment != 0 && offset + buffer.remaining() != disk.length) {
            throw new IllegalArgumentException("unaligned read at " + offset + " length " + buffer.remaining());
        }
        if (offset == failOffset) {
            throw failAt;
        }
        reads.incrementAndGet();
        buffer.put(disk, Math.toIntExact(offset), buffer.remaining());
    }

    @Override
    public void close() {
    }
}
