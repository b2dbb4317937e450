package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Layout of a pack file:
 * <pre>
 * "HAPK" u8 version(1) 3 zero bytes          header, 8 bytes
 * blob*                                      sealed chunks back to back (see ChunkCodec)
 * sealed trailer                             AES-GCM("hotadd-repo pack-trailer &lt;pack id&gt;", entries)
 * u32 sealed trailer length, "HAPT"          footer, 8 bytes
 * entries: u32 count, then per chunk: id(32) u32 offset u32 length u32 raw length u8 flags
 * </pre>
 * The trailer makes each pack self-describing, so a lost index can be rebuilt from the packs alone.
 */
final class PackFormat {
    static final byte[] HEADER_MAGIC = "HAPK".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FOOTER_MAGIC = "HAPT".getBytes(StandardCharsets.US_ASCII);
    static final byte VERSION = 1;
    static final int HEADER_BYTES = 8;
    static final int FOOTER_BYTES = 8;
    static final int ENTRY_BYTES = ChunkId.BYTES + 13;

    /** One chunk listed in a pack's trailer or in an index file. */
    record Entry(ChunkId id, ChunkLocation location) {
    }

    private PackFormat() {
    }

    static void writeHeader(ByteBuffer b) {
        b.put(HEADER_MAGIC).put(VERSION).put(new byte[3]);
    }

    static String trailerName(PackId pack) {
        return "pack-trailer " + pack;
    }

    static byte[] encodeEntries(List<Entry> entries) {
        ByteBuffer b = ByteBuffer.allocate(4 + entries.size() * ENTRY_BYTES).putInt(entries.size());
        for (Entry e : entries) {
            e.id().write(b);
            ChunkLocation l = e.location();
            b.putInt(l.offset()).putInt(l.length()).putInt(l.rawLength()).put(l.flags());
        }
        return b.array();
    }

    static List<Entry> decodeEntries(PackId pack, ByteBuffer b) {
        int count = b.getInt();
        if (count < 0 || count > b.remaining() / ENTRY_BYTES) {
            throw new RepositoryCorruptException("pack " + pack + " lists " + count + " chunks in "
                    + b.remaining() + " bytes of trailer");
        }
        List<Entry> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ChunkId id = ChunkId.read(b);
            out.add(new Entry(id, new ChunkLocation(pack, b.getInt(), b.getInt(), b.getInt(), b.get())));
        }
        return out;
    }

    /** Checks a whole pack's header and footer and answers where its sealed trailer is. */
    static int trailerLength(PackId pack, byte[] packBytes, int size) {
        if (size < HEADER_BYTES + FOOTER_BYTES
                || !java.util.Arrays.equals(packBytes, 0, 4, HEADER_MAGIC, 0, 4)
                || !java.util.Arrays.equals(packBytes, size - 4, size, FOOTER_MAGIC, 0, 4)) {
            throw new RepositoryCorruptException("pack " + pack + " has no valid header or footer");
        }
        if (packBytes[4] != VERSION) {
            throw new RepositoryFormatException("pack " + pack + " has pack version " + packBytes[4] + "; this agent"
                    + " reads version " + VERSION);
        }
        int length = ByteBuffer.wrap(packBytes, size - FOOTER_BYTES, 4).getInt();
        if (length < Aead.OVERHEAD || length > size - HEADER_BYTES - FOOTER_BYTES) {
            throw new RepositoryCorruptException("pack " + pack + " names a trailer of " + length + " bytes");
        }
        return length;
    }
}
