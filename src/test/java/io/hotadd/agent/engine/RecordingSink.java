package io.hotadd.agent.engine;

import io.hotadd.agent.port.BlockSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Rebuilds the image the engine hands over, and remembers which ranges came as data and which as holes. */
class RecordingSink implements BlockSink {
    final byte[] image;
    final List<long[]> dataRanges = new ArrayList<>();
    final List<long[]> zeroRanges = new ArrayList<>();
    private final int blockSize;

    RecordingSink(int capacity, int blockSize) {
        this.image = new byte[capacity];
        this.blockSize = blockSize;
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public synchronized void data(long diskOffset, ByteBuffer data) {
        dataRanges.add(new long[] {diskOffset, data.remaining()});
        data.get(image, Math.toIntExact(diskOffset), data.remaining());
    }

    @Override
    public synchronized void zeros(long diskOffset, long length) {
        zeroRanges.add(new long[] {diskOffset, length});
        java.util.Arrays.fill(image, Math.toIntExact(diskOffset), Math.toIntExact(diskOffset + length), (byte) 0);
    }

    @Override
    public void commit() {
    }

    @Override
    public void abort() {
    }

    @Override
    public void close() {
    }
}
