package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code index/<id>} objects: which chunk is where, grouped by pack. Sealed by {@link MetadataSealer}.
 * Payload: {@code "HAIX" u8 version, u32 packs}, then per pack {@code pack id(16) u32 count} and per chunk
 * {@code id(32) u32 offset u32 length u32 raw length u8 flags}.
 *
 * <p>Index files are only ever added, or replaced by prune writing their union under a new name before
 * deleting them; a chunk listed twice (two writers stored it, or a crash between prune's steps) is fine:
 * every listing points at a durable copy.
 */
final class IndexFiles {
    private static final byte[] MAGIC = "HAIX".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;

    private IndexFiles() {
    }

    static byte[] encode(List<PackFormat.Entry> entries) {
        Map<PackId, List<PackFormat.Entry>> byPack = new LinkedHashMap<>();
        for (PackFormat.Entry e : entries) {
            byPack.computeIfAbsent(e.location().pack(), p -> new ArrayList<>()).add(e);
        }
        ByteBuffer b = ByteBuffer.allocate(9 + byPack.size() * (PackId.BYTES + 4)
                + entries.size() * PackFormat.ENTRY_BYTES);
        b.put(MAGIC).put(VERSION).putInt(byPack.size());
        for (Map.Entry<PackId, List<PackFormat.Entry>> pack : byPack.entrySet()) {
            pack.getKey().write(b);
            b.put(PackFormat.encodeEntries(pack.getValue()));
        }
        return b.array();
    }

    static List<PackFormat.Entry> decode(String name, byte[] payload) {
        ByteBuffer b = ByteBuffer.wrap(payload);
        if (payload.length < 9 || !java.util.Arrays.equals(payload, 0, 4, MAGIC, 0, 4)) {
            throw new RepositoryCorruptException("index file " + name + " does not start with HAIX");
        }
        b.position(4);
        byte version = b.get();
        if (version != VERSION) {
            throw new RepositoryFormatException("index file " + name + " has version " + version + "; this agent"
                    + " reads version " + VERSION);
        }
        int packs = b.getInt();
        List<PackFormat.Entry> out = new ArrayList<>();
        for (int i = 0; i < packs; i++) {
            PackId pack = PackId.read(b);
            out.addAll(PackFormat.decodeEntries(pack, b));
        }
        return out;
    }

    /** Seals and stores {@code entries} as a new index file; answers its name. */
    static String store(Storage storage, MetadataSealer sealer, String id, List<PackFormat.Entry> entries) {
        String name = RepoLayout.INDEX + id;
        storage.put(name, ByteBuffer.wrap(sealer.seal(name, encode(entries))));
        return name;
    }

    static List<PackFormat.Entry> load(Storage storage, MetadataSealer sealer, String name) {
        return decode(name, sealer.open(name, storage.get(name)));
    }
}
