package io.hotadd.agent.adapters.repo;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills packs with the sealed chunks of one restore point writer (all its disks share them) and stores
 * each pack when it passes the target size. The worker whose chunk filled a pack writes it, outside the
 * lock, so the other workers go on filling the next one meanwhile.
 */
final class PackAssembler {
    private final Storage storage;
    private final Aead trailerAead;
    private final java.util.Random random;
    private final int packSize;
    private final int chunkSize;
    private final List<PackFormat.Entry> stored = new ArrayList<>();
    private final List<PackId> written = new ArrayList<>();
    private PackBuilder open;
    /** A pack that failed to store poisons the writer: its chunks may be mapped by any of the disks. */
    private RuntimeException storeFailure;

    PackAssembler(Storage storage, Aead trailerAead, java.util.Random random, int packSize, int chunkSize) {
        this.storage = storage;
        this.trailerAead = trailerAead;
        this.random = random;
        this.packSize = packSize;
        this.chunkSize = chunkSize;
    }

    /** Appends a sealed chunk; stores the pack if this made it full. */
    void add(ChunkId id, byte flags, int rawLength, byte[] sealed, int length) {
        PackBuilder full = null;
        synchronized (this) {
            if (open == null) {
                open = new PackBuilder(PackId.random(random), packSize + chunkSize + Aead.OVERHEAD * 2);
            }
            open.append(id, flags, rawLength, sealed, length);
            if (open.size() >= packSize) {
                full = open;
                open = null;
            }
        }
        if (full != null) {
            store(full);
        }
    }

    /** Stores the pack being filled, if any. Called once every chunk has been added. */
    void flush() {
        PackBuilder last;
        synchronized (this) {
            if (storeFailure != null) {
                throw storeFailure;
            }
            last = open;
            open = null;
        }
        if (last != null && !last.isEmpty()) {
            store(last);
        }
    }

    private void store(PackBuilder pack) {
        synchronized (this) {
            written.add(pack.id()); // before the put: an abort after a failed put still removes any leftover
        }
        try {
            storage.put(pack.id().objectName(), pack.finish(trailerAead));
        } catch (RuntimeException e) {
            synchronized (this) {
                storeFailure = e;
            }
            throw e;
        }
        synchronized (this) {
            stored.addAll(pack.entries());
        }
    }

    /** Chunks in packs that are durable. */
    synchronized List<PackFormat.Entry> storedEntries() {
        return new ArrayList<>(stored);
    }

    /** Removes the packs this writer stored (abort); best effort, prune removes what is left. */
    void deleteWritten() {
        List<PackId> packs;
        synchronized (this) {
            packs = new ArrayList<>(written);
            written.clear();
            open = null;
        }
        for (PackId p : packs) {
            try {
                storage.delete(p.objectName());
            } catch (RuntimeException e) {
                // an unreferenced pack is garbage that the next prune removes
            }
        }
    }
}
