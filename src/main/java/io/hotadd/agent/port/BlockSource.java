package io.hotadd.agent.port;

import java.nio.ByteBuffer;

/**
 * A disk opened for unbuffered reading (O_DIRECT): the page cache is bypassed, so buffers, offsets and
 * lengths must be multiples of {@link #alignment()}. Thread-safe for positional reads.
 */
public interface BlockSource extends AutoCloseable {

    /** Size of the disk in bytes. */
    long size();

    /** The alignment O_DIRECT demands of buffer addresses, offsets and lengths (the logical block size). */
    int alignment();

    /**
     * Fills {@code buffer} from its position to its limit with the bytes at {@code offset}. The buffer must
     * be a direct buffer aligned to {@link #alignment()}; reading past the end of the disk is an error.
     * Exception for disks whose size is not a multiple of {@link #alignment()}: the read that ends exactly
     * at the end of the disk may be shorter than a whole block if the buffer's capacity reaches the whole
     * block; the bytes between the limit and that block's end are scratch.
     */
    void read(long offset, ByteBuffer buffer);

    @Override
    void close();
}
