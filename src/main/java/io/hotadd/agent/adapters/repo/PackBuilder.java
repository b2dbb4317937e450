package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One pack being filled in memory. Chunks are appended (by whichever worker sealed them, under the
 * caller's lock); {@link #finish} adds the sealed trailer and footer. Memory: one pack target size plus a
 * chunk, per open pack.
 */
final class PackBuilder {
    private final PackId id;
    private final List<PackFormat.Entry> entries = new ArrayList<>();
    private byte[] bytes;
    private int size;

    PackBuilder(PackId id, int initialCapacity) {
        this.id = id;
        this.bytes = new byte[Math.max(initialCapacity, PackFormat.HEADER_BYTES)];
        ByteBuffer b = ByteBuffer.wrap(bytes);
        PackFormat.writeHeader(b);
        this.size = b.position();
    }

    PackId id() {
        return id;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<PackFormat.Entry> entries() {
        return entries;
    }

    ChunkLocation append(ChunkId chunk, byte flags, int rawLength, byte[] sealed, int length) {
        ensure(length);
        System.arraycopy(sealed, 0, bytes, size, length);
        ChunkLocation at = new ChunkLocation(id, size, length, rawLength, flags);
        entries.add(new PackFormat.Entry(chunk, at));
        size += length;
        return at;
    }

    /** The complete pack file. The builder must not be used afterwards. */
    ByteBuffer finish(Aead aead) {
        byte[] trailer = PackFormat.encodeEntries(entries);
        ensure(trailer.length + Aead.OVERHEAD + PackFormat.FOOTER_BYTES);
        int sealedLength = aead.seal(MetadataSealer.aad(PackFormat.trailerName(id)), trailer, 0, trailer.length,
                bytes, size);
        size += sealedLength;
        ByteBuffer b = ByteBuffer.wrap(bytes, size, PackFormat.FOOTER_BYTES);
        b.putInt(sealedLength).put(PackFormat.FOOTER_MAGIC);
        size += PackFormat.FOOTER_BYTES;
        return ByteBuffer.wrap(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = java.util.Arrays.copyOf(bytes, Math.max(size + more, bytes.length + bytes.length / 2));
        }
    }
}
