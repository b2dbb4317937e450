package io.hotadd.agent.adapters.repo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prune's decision per pack: keep it (enough of it is live), rewrite it (live fraction below the
 * threshold), or delete it (nothing live, or never indexed: a crashed writer's leftover).
 *
 * @param kept          index entries of live chunks in packs that stay
 * @param rewrite       packs whose live chunks are copied before the pack is deleted
 * @param toDelete      every pack to delete once the new index is durable (includes {@code rewrite})
 * @param rewrittenBytes live bytes copied into new packs
 */
record PackPlan(List<PackFormat.Entry> kept, List<String> rewrite, List<String> toDelete, long rewrittenBytes,
                Map<String, List<PackFormat.Entry>> live) {

    static PackPlan of(ChunkIndex index, Set<ChunkId> liveChunks, Map<String, Long> packSizes, double repackBelow) {
        Map<String, List<PackFormat.Entry>> live = new HashMap<>();
        index.entries().forEach((id, at) -> {
            if (liveChunks.contains(id)) {
                live.computeIfAbsent(at.pack().objectName(), p -> new ArrayList<>()).add(new PackFormat.Entry(id, at));
            }
        });
        List<PackFormat.Entry> kept = new ArrayList<>();
        List<String> rewrite = new ArrayList<>();
        List<String> delete = new ArrayList<>();
        long rewritten = 0;
        for (Map.Entry<String, Long> pack : packSizes.entrySet()) {
            List<PackFormat.Entry> liveHere = live.getOrDefault(pack.getKey(), List.of());
            long liveBytes = liveHere.stream().mapToLong(e -> e.location().length()).sum();
            if (liveHere.isEmpty()) {
                delete.add(pack.getKey());
            } else if (liveBytes < repackBelow * pack.getValue()) {
                rewrite.add(pack.getKey());
                delete.add(pack.getKey());
                rewritten += liveBytes;
            } else {
                kept.addAll(liveHere);
            }
        }
        return new PackPlan(kept, rewrite, delete, rewritten, live);
    }

    List<PackFormat.Entry> liveIn(String pack) {
        return live.getOrDefault(pack, List.of());
    }
}
