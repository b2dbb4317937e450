package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BlockSource;
import java.nio.ByteBuffer;

/** A disk image in memory, readable the way the engine reads a hot-added disk. */
final class ArrayBlockSource implements BlockSource {
    private final byte[] disk;

    ArrayBlockSource(byte[] disk) {
        this.disk = disk;
    }

    @Override
    public long size() {
        return disk.length;
    }

    @Override
    public int alignment() {
        return 4096;
    }

    @Override
    public void read(long offset, ByteBuffer buffer) {
        buffer.put(disk, Math.toIntExact(offset), buffer.remaining());
    }

    @Override
    public void close() {
    }
}
