package io.hotadd.agent.adapters.repo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prune, under the exclusive lock, in the order that keeps the repository consistent if the process is
 * killed at any moment (restic's order):
 * <ol>
 *   <li>read every restore point and the chunks the survivors use (nothing changed yet);</li>
 *   <li>delete the forgotten restore points' headers (their data is now garbage, still intact);</li>
 *   <li>copy the live chunks of mostly-dead packs into new packs, and write one new index file listing
 *   every live chunk;</li>
 *   <li>delete the old index files, then the packs nothing indexes any more, then orphaned maps.</li>
 * </ol>
 * Between any two steps, every visible restore point's chunks are in an index file and a pack.
 */
final class RepositoryPruner {
    private final RepoContext repo;
    private final PrunePlan plan;
    private final RepositoryLock lock;
    private int cleaned;

    RepositoryPruner(RepoContext repo, PrunePlan plan, RepositoryLock lock) {
        this.repo = repo;
        this.plan = plan;
        this.lock = lock;
    }

    PruneReport run() {
        repo.index().refresh(repo.storage(), repo.sealer());
        Set<String> oldIndexFiles = repo.index().loadedFiles();
        List<PointRecord> all = loadPoints();
        List<PointRecord> forget = plan.select(all);
        List<PointRecord> keep = new ArrayList<>(all);
        keep.removeAll(forget);
        Set<ChunkId> live = liveChunks(keep);
        for (PointRecord p : forget) {
            repo.storage().delete(RepoLayout.point(p.id()));
        }
        Map<String, Long> packSizes = new HashMap<>();
        repo.storage().list(RepoLayout.DATA).forEach(o -> packSizes.put(o.name(), o.size()));
        PackPlan packs = PackPlan.of(repo.index(), live, packSizes, plan.repackBelow());
        List<PackFormat.Entry> newIndex = rewrite(packs);
        lock.checkHeld();
        if (!newIndex.isEmpty()) {
            IndexFiles.store(repo.storage(), repo.sealer(), Ids.randomHex(repo.env().random(), 16), newIndex);
        }
        for (String f : oldIndexFiles) {
            repo.storage().delete(f);
        }
        long freed = 0;
        for (String pack : packs.toDelete()) {
            repo.storage().delete(pack);
            freed += packSizes.getOrDefault(pack, 0L);
        }
        cleanOrphans(keep);
        repo.index().refresh(repo.storage(), repo.sealer());
        return new PruneReport(forget.stream().map(PointRecord::id).toList(), packs.toDelete().size(),
                packs.rewrite().size(), freed - packs.rewrittenBytes(), cleaned);
    }

    private List<PointRecord> loadPoints() {
        List<PointRecord> out = new ArrayList<>();
        for (Storage.StoredObject o : repo.storage().list(RepoLayout.POINTS)) {
            // an unreadable header stops prune: without it, prune cannot know which chunks are live
            out.add(repo.point(RepoLayout.lastSegment(o.name())));
        }
        return out;
    }

    private Set<ChunkId> liveChunks(List<PointRecord> keep) {
        Set<ChunkId> live = new HashSet<>();
        for (PointRecord p : keep) {
            for (PointRecord.DiskRecord d : p.disks()) {
                live.addAll(repo.map(p.id(), d.key()).chunks().values());
            }
        }
        return live;
    }

    /** Copies the live chunks of the packs to rewrite; answers the entries of the new, complete index. */
    private List<PackFormat.Entry> rewrite(PackPlan packs) {
        PackAssembler out = new PackAssembler(repo.storage(), repo.sealer().aead(), repo.env().random(),
                repo.packBuffers(), repo.config().packSize());
        List<PackFormat.Entry> entries = new ArrayList<>(packs.kept());
        for (String pack : packs.rewrite()) {
            byte[] bytes = repo.storage().get(pack);
            for (PackFormat.Entry e : packs.liveIn(pack)) {
                ChunkLocation at = e.location();
                // copied sealed as is: the chunk's tag is bound to its id and flags, not to the pack
                byte[] blob = java.util.Arrays.copyOfRange(bytes, at.offset(), at.offset() + at.length());
                out.add(e.id(), at.flags(), at.rawLength(), blob, blob.length);
            }
        }
        out.flush();
        entries.addAll(out.storedEntries());
        return entries;
    }

    private void cleanOrphans(List<PointRecord> keep) {
        Set<String> kept = new HashSet<>();
        keep.forEach(p -> kept.add(p.id()));
        for (Storage.StoredObject o : repo.storage().list(RepoLayout.MAPS)) {
            if (!kept.contains(RepoLayout.pointOfMap(o.name()))) {
                repo.storage().delete(o.name());
                cleaned++;
            }
        }
        cleaned += repo.storage().removeLeftovers();
    }
}
