package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One pack being filled in a pooled buffer (see {@link PackBuffers}). Places for sealed chunks are reserved
 * in order under the assembler's lock and written by the workers afterwards; once the pack is closed and
 * every place written, {@link #finish} adds the sealed trailer and footer.
 */
final class PackBuilder {
    private final PackId id;
    private final List<PackFormat.Entry> entries = new ArrayList<>();
    private final ByteBuffer buffer;
    private int unwritten;
    private boolean closed;

    /** @param buffer where the pack is built, from position 0; the caller gives it back after the pack is stored */
    PackBuilder(PackId id, ByteBuffer buffer) {
        this.id = id;
        this.buffer = buffer.clear();
        PackFormat.writeHeader(buffer);
    }

    PackId id() {
        return id;
    }

    int size() {
        return buffer.position();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    List<PackFormat.Entry> entries() {
        return entries;
    }

    ByteBuffer buffer() {
        return buffer;
    }

    /** The place for the next chunk, {@code length} bytes, to be written by the caller and then reported. */
    ByteBuffer reserve(ChunkId chunk, byte flags, int rawLength, int length) {
        if (closed || length > buffer.remaining()) {
            throw new IllegalStateException("a sealed chunk of " + length + " bytes does not fit in pack " + id
                    + " at " + size() + " of " + buffer.capacity() + " bytes" + (closed ? " (closed)" : ""));
        }
        int at = size();
        entries.add(new PackFormat.Entry(chunk, new ChunkLocation(id, at, length, rawLength, flags)));
        buffer.position(at + length);
        unwritten++;
        return buffer.duplicate().position(at).limit(at + length).slice();
    }

    /** One reserved place is written; answers whether the pack is complete (closed, nothing left unwritten). */
    boolean placeWritten() {
        unwritten--;
        return closed && unwritten == 0;
    }

    /** No more places; answers whether every place is already written. */
    boolean close() {
        closed = true;
        return unwritten == 0;
    }

    /**
     * The complete pack file, valid until the buffer is reused. The trailer of a pack of many tiny chunks may
     * not fit behind them; such a pack is finished in a new buffer of its exact size.
     */
    ByteBuffer finish(Aead aead) {
        byte[] trailer = PackFormat.encodeEntries(entries);
        byte[] sealedTrailer = aead.seal(MetadataSealer.aad(PackFormat.trailerName(id)), trailer);
        ByteBuffer out = buffer;
        if (sealedTrailer.length + PackFormat.FOOTER_BYTES > buffer.remaining()) {
            out = ByteBuffer.allocate(size() + sealedTrailer.length + PackFormat.FOOTER_BYTES);
            out.put(buffer.duplicate().flip());
        }
        out.put(sealedTrailer).putInt(sealedTrailer.length).put(PackFormat.FOOTER_MAGIC);
        return out.duplicate().flip();
    }
}
