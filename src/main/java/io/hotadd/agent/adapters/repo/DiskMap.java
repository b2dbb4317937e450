package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A disk of a restore point: every chunk-grid position that holds data, and the chunk there. Positions
 * absent are holes (never written, or all zeros). Stored as {@code maps/<restore point>-<disk key>}, sealed:
 * {@code "HAMP" u8 version, u32 chunk size, u64 capacity, u32 count}, then per position, ascending,
 * {@code u64 position id(32)}.
 */
final class DiskMap {
    private static final byte[] MAGIC = "HAMP".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;

    private final int chunkSize;
    private final long capacity;
    private final ConcurrentSkipListMap<Long, ChunkId> chunks;

    DiskMap(int chunkSize, long capacity) {
        this(chunkSize, capacity, new ConcurrentSkipListMap<>());
    }

    private DiskMap(int chunkSize, long capacity, ConcurrentSkipListMap<Long, ChunkId> chunks) {
        this.chunkSize = chunkSize;
        this.capacity = capacity;
        this.chunks = chunks;
    }

    /** A copy of {@code parent}'s chunks for a disk now {@code capacity} long (a grown disk keeps them all). */
    static DiskMap startingFrom(DiskMap parent, long capacity) {
        ConcurrentSkipListMap<Long, ChunkId> copy = new ConcurrentSkipListMap<>(
                parent.chunks.headMap((capacity + parent.chunkSize - 1) / parent.chunkSize));
        return new DiskMap(parent.chunkSize, capacity, copy);
    }

    int chunkSize() {
        return chunkSize;
    }

    long capacity() {
        return capacity;
    }

    NavigableMap<Long, ChunkId> chunks() {
        return chunks;
    }

    void put(long position, ChunkId id) {
        chunks.put(position, id);
    }

    void remove(long position) {
        chunks.remove(position);
    }

    /** Bytes the chunk at {@code position} covers (the last one may be short). */
    int lengthAt(long position) {
        return (int) Math.min(chunkSize, capacity - position * chunkSize);
    }

    byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(21 + chunks.size() * (8 + ChunkId.BYTES));
        b.put(MAGIC).put(VERSION).putInt(chunkSize).putLong(capacity).putInt(chunks.size());
        for (Map.Entry<Long, ChunkId> e : chunks.entrySet()) {
            b.putLong(e.getKey());
            e.getValue().write(b);
        }
        return b.array();
    }

    static DiskMap decode(String name, byte[] payload) {
        if (payload.length < 21 || !java.util.Arrays.equals(payload, 0, 4, MAGIC, 0, 4)) {
            throw new RepositoryCorruptException("disk map " + name + " does not start with HAMP");
        }
        ByteBuffer b = ByteBuffer.wrap(payload).position(4);
        byte version = b.get();
        if (version != VERSION) {
            throw new RepositoryFormatException("disk map " + name + " has version " + version + "; this agent reads"
                    + " version " + VERSION);
        }
        DiskMap map = new DiskMap(b.getInt(), b.getLong());
        int count = b.getInt();
        if (count < 0 || count > b.remaining() / (8 + ChunkId.BYTES)) {
            throw new RepositoryCorruptException("disk map " + name + " lists " + count + " chunks in "
                    + b.remaining() + " bytes");
        }
        for (int i = 0; i < count; i++) {
            map.chunks.put(b.getLong(), ChunkId.read(b));
        }
        return map;
    }
}
