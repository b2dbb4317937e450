package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers that packs are filled in, reused from one pack to the next by every writer of an open
 * repository. Measured on the 3 GiB benchmark image: a fresh 33 MiB heap array per pack cost 1.4 s of CPU
 * for 1.1 GB of sealed chunks (the JVM zeroes each new array and the kernel faults in the pages of a heap
 * that keeps growing), and writing a heap buffer to a FileChannel copies it once more into a temporary
 * direct buffer that the JDK then caches per thread at full pack size. A reused direct buffer does neither.
 *
 * <p>Up to {@code keep} idle buffers are kept: one pack being filled and one being stored per worker is
 * the steady state of one writer. Concurrent writers allocate beyond that and the extra buffers are left
 * to the garbage collector when given back.
 */
final class PackBuffers {
    private static final int PAGE = 4096;

    private final int capacity;
    private final int keep;
    private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

    /**
     * @param packSize  target pack size: a pack is cut at the first chunk that takes it past this
     * @param chunkSize the largest raw chunk; a sealed chunk is at most this plus the AEAD overhead
     * @param keep      idle buffers kept for reuse
     */
    PackBuffers(int packSize, int chunkSize, int keep) {
        // the header, just under packSize of chunks, then one more chunk at its largest (stored raw)
        int needed = PackFormat.HEADER_BYTES + packSize + chunkSize + Aead.OVERHEAD;
        this.capacity = (needed + PAGE - 1) & -PAGE;
        this.keep = keep;
    }

    /**
     * A page-aligned buffer of {@link #capacity()} bytes, position 0, contents undefined. Aligned so that
     * LocalStorage can write the pack with O_DIRECT.
     */
    synchronized ByteBuffer take() {
        ByteBuffer b = idle.poll();
        return b != null ? b.clear() : ByteBuffer.allocateDirect(capacity + PAGE).alignedSlice(PAGE).limit(capacity)
                .slice();
    }

    /** Takes a buffer back once nothing reads it any more. */
    synchronized void give(ByteBuffer b) {
        if (b.isDirect() && b.capacity() == capacity && idle.size() < keep) {
            idle.push(b);
        }
    }

    int capacity() {
        return capacity;
    }
}
