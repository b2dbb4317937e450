package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A chunk's content address: HMAC-SHA-256 of its plaintext under the repository's id key. Kept as four
 * longs so the in-memory index and the disk maps hold 32 bytes per id without a separate array object.
 */
public record ChunkId(long w0, long w1, long w2, long w3) {
    public static final int BYTES = 32;

    public static ChunkId of(byte[] bytes, int offset) {
        ByteBuffer b = ByteBuffer.wrap(bytes, offset, BYTES);
        return new ChunkId(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    public static ChunkId read(ByteBuffer b) {
        return new ChunkId(b.getLong(), b.getLong(), b.getLong(), b.getLong());
    }

    public static ChunkId parse(String hex) {
        return of(HexFormat.of().parseHex(hex), 0);
    }

    public void write(ByteBuffer b) {
        b.putLong(w0).putLong(w1).putLong(w2).putLong(w3);
    }

    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        write(b);
        return b.array();
    }

    /** The first 8 hex digits: enough to tell chunks apart in a message. */
    public String shortHex() {
        return toString().substring(0, 8);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes());
    }

    @Override
    public int hashCode() {
        return (int) (w0 ^ (w0 >>> 32)); // the id is a keyed hash: its first bits are already uniform
    }
}
