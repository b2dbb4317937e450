package io.hotadd.agent.port;

import java.nio.ByteBuffer;

/**
 * A disk opened for unbuffered writing (O_DIRECT), the restore side of {@link BlockSource}: nothing is
 * acknowledged that only sits in the proxy's page cache, so buffers, offsets and lengths must be multiples of
 * {@link #alignment()}. Thread-safe for writes to disjoint ranges.
 */
public interface BlockTarget extends AutoCloseable {

    /** Size of the disk in bytes. */
    long size();

    /** The alignment O_DIRECT demands of buffer addresses, offsets and lengths (the logical block size). */
    int alignment();

    /**
     * Writes the buffer from its position to its limit at {@code offset}. The buffer must be a direct buffer
     * aligned to {@link #alignment()}. As for {@link BlockSource#read}, the write that ends exactly at the end
     * of a disk whose size is not a multiple of the alignment may be shorter if the buffer's capacity reaches
     * the whole block.
     */
    void write(long offset, ByteBuffer buffer);

    /**
     * Makes {@code [offset, offset + length)} read as zeros, cheaply where the device can (BLKZEROOUT on a
     * block device: WRITE SAME or UNMAP with guaranteed zeros; a punched hole in a file), so a full restore
     * over an existing disk clears what the backup did not hold. Offset and length are aligned.
     */
    void zeroOut(long offset, long length);

    /** Everything written so far is durable when this returns (fdatasync). */
    void flush();

    @Override
    void close();
}
