package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.Extent;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one disk file in a fake, small enough for memory, with a log of which ranges were written
 * at which CBT sequence number.
 */
public final class FakeDiskContent {
    final byte[] bytes;
    private final List<long[]> writes = new ArrayList<>(); // {seq, offset, length}

    FakeDiskContent(long capacity) {
        this.bytes = new byte[Math.toIntExact(capacity)];
    }

    private FakeDiskContent(byte[] bytes) {
        this.bytes = bytes;
    }

    synchronized void write(long seq, long offset, byte[] data) {
        System.arraycopy(data, 0, bytes, Math.toIntExact(offset), data.length);
        writes.add(new long[] {seq, offset, data.length});
    }

    /** The range reads as zeros and is no longer allocated (a punched hole, BLKZEROOUT on a thin disk). */
    synchronized void zero(long offset, long length) {
        java.util.Arrays.fill(bytes, Math.toIntExact(offset), Math.toIntExact(offset + length), (byte) 0);
        long end = offset + length;
        List<long[]> kept = new ArrayList<>();
        for (long[] w : writes) {
            long wEnd = w[1] + w[2];
            if (wEnd <= offset || w[1] >= end) {
                kept.add(w);
                continue;
            }
            if (w[1] < offset) {
                kept.add(new long[] {w[0], w[1], offset - w[1]});
            }
            if (wEnd > end) {
                kept.add(new long[] {w[0], end, wEnd - end});
            }
        }
        writes.clear();
        writes.addAll(kept);
    }

    synchronized FakeDiskContent frozenCopy() {
        FakeDiskContent copy = new FakeDiskContent(bytes.clone());
        copy.writes.addAll(writes);
        return copy;
    }

    /** Ranges written with {@code after < seq <= upTo}. */
    synchronized List<Extent> writtenBetween(long after, long upTo) {
        List<Extent> out = new ArrayList<>();
        for (long[] w : writes) {
            if (w[0] > after && w[0] <= upTo) {
                out.add(new Extent(w[1], w[2]));
            }
        }
        return out;
    }

    /** Every range ever written: what a thin disk has allocated. */
    synchronized List<Extent> allocated() {
        return writtenBetween(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    public synchronized byte[] snapshotOfBytes() {
        return bytes.clone();
    }
}
