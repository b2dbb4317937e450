package io.hotadd.agent.engine;

import io.hotadd.agent.port.BlockSink;
import io.hotadd.agent.port.BufferHold;
import java.nio.ByteBuffer;

/**
 * Hands a filled buffer to a sink block by block: runs of non-zero blocks as data, runs of all-zero blocks
 * as holes. The zero test is ByteBuffer.mismatch against a zero buffer, which the JIT vectorises. Data goes
 * with the caller's hold on the buffer, so the sink may keep reading it after returning.
 */
final class ZeroSplitter {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(4 << 20).asReadOnlyBuffer();

    private final BlockSink sink;
    private final int blockSize;

    ZeroSplitter(BlockSink sink, int blockSize) {
        this.sink = sink;
        this.blockSize = blockSize;
    }

    void hand(long diskOffset, ByteBuffer buffer, BufferHold hold) {
        int length = buffer.remaining();
        int runStart = 0;
        boolean runIsZero = false;
        for (int pos = 0; pos < length; pos += blockSize) {
            boolean zero = isZero(buffer, pos, Math.min(blockSize, length - pos));
            if (pos > runStart && zero != runIsZero) {
                emit(diskOffset, buffer, runStart, pos, runIsZero, hold);
                runStart = pos;
            }
            runIsZero = zero;
        }
        if (length > runStart) {
            emit(diskOffset, buffer, runStart, length, runIsZero, hold);
        }
    }

    private void emit(long diskOffset, ByteBuffer buffer, int from, int to, boolean zero, BufferHold hold) {
        if (zero) {
            sink.zeros(diskOffset + from, to - from);
        } else {
            sink.data(diskOffset + from, buffer.duplicate().position(from).limit(to), hold);
        }
    }

    static boolean isZero(ByteBuffer buffer, int from, int length) {
        for (int done = 0; done < length; ) {
            int n = Math.min(length - done, ZEROS.capacity());
            ByteBuffer part = buffer.duplicate().position(from + done).limit(from + done + n);
            if (part.mismatch(ZEROS.duplicate().limit(n)) != -1) {
                return false;
            }
            done += n;
        }
        return true;
    }
}
