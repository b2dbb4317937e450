package io.hotadd.agent.adapters.repo;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The repository's index in memory: chunk id to location, built from the index files. It only holds
 * chunks whose index file is durable, so deduplicating against it never references a chunk that a crash
 * could lose. About 150 bytes per chunk: a million chunks (1 TiB of unique data at 1 MiB) take 150 MB.
 */
final class ChunkIndex {
    private final Map<ChunkId, ChunkLocation> chunks = new ConcurrentHashMap<>();
    private final Set<String> loadedFiles = new HashSet<>();

    ChunkLocation find(ChunkId id) {
        return chunks.get(id);
    }

    boolean contains(ChunkId id) {
        return chunks.containsKey(id);
    }

    int size() {
        return chunks.size();
    }

    Map<ChunkId, ChunkLocation> entries() {
        return chunks;
    }

    void addAll(Collection<PackFormat.Entry> entries) {
        for (PackFormat.Entry e : entries) {
            chunks.putIfAbsent(e.id(), e.location());
        }
    }

    /**
     * Loads the index files this process has not seen yet (written by other writers since). When one it had
     * loaded is gone, a prune replaced the index: everything is reloaded, so no chunk that prune removed is
     * still offered for deduplication.
     */
    synchronized void refresh(Storage storage, MetadataSealer sealer) {
        List<Storage.StoredObject> files = storage.list(RepoLayout.INDEX);
        Set<String> listed = new HashSet<>();
        files.forEach(f -> listed.add(f.name()));
        if (!listed.containsAll(loadedFiles)) {
            chunks.clear();
            loadedFiles.clear();
        }
        for (Storage.StoredObject f : files) {
            if (!loadedFiles.contains(f.name())) {
                try {
                    addAll(IndexFiles.load(storage, sealer, f.name()));
                } catch (ObjectNotFoundException e) {
                    continue; // prune replaced it between list and get; its union is listed too
                }
                loadedFiles.add(f.name());
            }
        }
    }

    synchronized Set<String> loadedFiles() {
        return new HashSet<>(loadedFiles);
    }

    synchronized void markLoaded(String indexFile) {
        loadedFiles.add(indexFile);
    }
}
