package io.hotadd.agent.adapters.repo;

import java.util.List;

/**
 * What prune did.
 *
 * @param forgotten        restore points deleted
 * @param packsDeleted     packs removed (no live chunk left, rewritten, or never indexed)
 * @param packsRewritten   of those, packs whose live chunks were copied into new packs first
 * @param bytesFreed       stored bytes removed, net of what rewriting added
 * @param objectsCleaned   orphaned disk maps, index files and temp files removed
 */
public record PruneReport(List<String> forgotten, int packsDeleted, int packsRewritten, long bytesFreed,
                          int objectsCleaned) {
    public PruneReport {
        forgotten = List.copyOf(forgotten);
    }
}
