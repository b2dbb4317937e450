package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.adapters.repo.VerifyReport.Kind;
import io.hotadd.agent.adapters.repo.VerifyReport.Problem;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads every pack whole, checks its trailer, and decodes every indexed chunk in it (authenticate,
 * decompress, re-hash); then checks that every chunk every restore point references is indexed and sound.
 * Damaged and missing chunks are reported with the restore points, disks and offsets that use them.
 */
final class RepositoryVerifier {
    private final RepoContext repo;
    private final List<PointRecord> points;
    /** Chunk id to the reason it cannot be read. */
    private final Map<ChunkId, String> broken = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private long packsChecked;
    private long chunksChecked;

    RepositoryVerifier(RepoContext repo, List<PointRecord> points) {
        this.repo = repo;
        this.points = points;
    }

    VerifyReport run() {
        Map<PackId, List<ChunkId>> byPack = new LinkedHashMap<>();
        repo.index().entries().forEach((id, at) -> byPack.computeIfAbsent(at.pack(), p -> new ArrayList<>()).add(id));
        Set<String> stored = new HashSet<>();
        repo.storage().list(RepoLayout.DATA).forEach(o -> stored.add(o.name()));
        for (Map.Entry<PackId, List<ChunkId>> pack : byPack.entrySet()) {
            checkPack(pack.getKey(), pack.getValue(), stored.remove(pack.getKey().objectName()));
        }
        Map<ChunkId, Set<String>> users = new HashMap<>();
        Map<ChunkId, String> firstUse = new HashMap<>();
        for (PointRecord p : points) {
            checkPoint(p, users, firstUse);
        }
        for (Map.Entry<ChunkId, String> b : broken.entrySet()) {
            Set<String> affected = users.getOrDefault(b.getKey(), Set.of());
            boolean missing = b.getValue().startsWith("missing");
            problems.add(new Problem(missing ? Kind.MISSING_CHUNK : Kind.DAMAGED_CHUNK, b.getKey().toString(),
                    b.getValue() + (affected.isEmpty() ? "; no restore point uses it"
                            : "; first used by " + firstUse.get(b.getKey())), affected));
        }
        return new VerifyReport(points.size(), packsChecked, chunksChecked, stored.size(), problems);
    }

    private void checkPack(PackId pack, List<ChunkId> chunks, boolean present) {
        if (!present) {
            problems.add(new Problem(Kind.MISSING_PACK, pack.toString(), "pack " + pack.objectName() + " is indexed"
                    + " but not in storage", Set.of()));
            chunks.forEach(id -> broken.put(id, "missing: its pack " + pack + " is not in storage"));
            return;
        }
        byte[] bytes = repo.storage().get(pack.objectName());
        packsChecked++;
        checkTrailer(pack, bytes);
        for (ChunkId id : chunks) {
            ChunkLocation at = repo.index().find(id);
            chunksChecked++;
            try {
                if (at.offset() < 0 || (long) at.offset() + at.length() > bytes.length) {
                    throw new RepositoryCorruptException("chunk " + id + " lies beyond the end of pack " + pack);
                }
                repo.codec().decode(id, at, bytes, at.offset());
            } catch (RepositoryCorruptException e) {
                broken.put(id, "damaged: " + e.getMessage());
            }
        }
    }

    private void checkTrailer(PackId pack, byte[] bytes) {
        try {
            int length = PackFormat.trailerLength(pack, bytes, bytes.length);
            int start = bytes.length - PackFormat.FOOTER_BYTES - length;
            byte[] entries = repo.sealer().aead().open(MetadataSealer.aad(PackFormat.trailerName(pack)), bytes, start,
                    length);
            PackFormat.decodeEntries(pack, ByteBuffer.wrap(entries));
        } catch (RepositoryCorruptException | javax.crypto.AEADBadTagException e) {
            problems.add(new Problem(Kind.DAMAGED_PACK, pack.toString(), "pack " + pack + " has a damaged header or"
                    + " trailer (" + e.getMessage() + "); its chunks are checked one by one", Set.of()));
        }
    }

    private void checkPoint(PointRecord p, Map<ChunkId, Set<String>> users, Map<ChunkId, String> firstUse) {
        for (PointRecord.DiskRecord d : p.disks()) {
            DiskMap map;
            try {
                map = repo.map(p.id(), d.key());
            } catch (RepositoryException e) {
                problems.add(new Problem(Kind.UNREADABLE_RESTORE_POINT, p.id(), "disk " + d.key() + " map: "
                        + e.getMessage(), Set.of(p.id())));
                continue;
            }
            map.chunks().forEach((position, id) -> {
                if (repo.index().find(id) == null) {
                    broken.putIfAbsent(id, "missing: not in any index");
                }
                if (broken.containsKey(id)) {
                    users.computeIfAbsent(id, k -> new TreeSet<>()).add(p.id());
                    firstUse.putIfAbsent(id, "restore point " + p.id() + " (VM " + p.vmName() + ") disk " + d.key()
                            + " (" + d.label() + ") at offset " + position * map.chunkSize());
                }
            });
        }
    }
}
