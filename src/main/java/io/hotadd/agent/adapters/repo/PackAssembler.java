package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fills packs with the sealed chunks of one restore point writer (all its disks share them) and stores
 * each pack when it passes the target size. A worker reserves its chunk's place under the lock and seals
 * the chunk straight into it outside the lock: holding the lock for a 1 MiB copy made the other workers
 * spin on it. The worker that fills the last place of a full pack stores it, also outside the lock, so the
 * others go on filling the next pack meanwhile.
 */
final class PackAssembler {
    private final Storage storage;
    private final Aead trailerAead;
    private final java.util.Random random;
    private final PackBuffers buffers;
    private final int packSize;
    private final List<PackFormat.Entry> stored = new ArrayList<>();
    private final List<PackId> written = new ArrayList<>();
    private PackBuilder open;
    /** A pack that failed to fill or store poisons the writer: its chunks may be mapped by any of the disks. */
    private RuntimeException failure;

    PackAssembler(Storage storage, Aead trailerAead, java.util.Random random, PackBuffers buffers, int packSize) {
        this.storage = storage;
        this.trailerAead = trailerAead;
        this.random = random;
        this.buffers = buffers;
        this.packSize = packSize;
    }

    /** Appends an already sealed chunk (prune copies them from pack to pack). */
    void add(ChunkId id, byte flags, int rawLength, byte[] sealed, int length) {
        add(id, flags, rawLength, length, place -> place.put(sealed, 0, length));
    }

    /**
     * Reserves {@code sealedLength} bytes for a chunk, has {@code sealer} write exactly that many into the
     * buffer it is given, and stores the pack if it is full and every place in it is written.
     */
    void add(ChunkId id, byte flags, int rawLength, int sealedLength, Consumer<ByteBuffer> sealer) {
        PackBuilder pack;
        ByteBuffer place;
        synchronized (this) {
            if (open == null) {
                open = new PackBuilder(PackId.random(random), buffers.take());
            }
            pack = open;
            place = pack.reserve(id, flags, rawLength, sealedLength);
            if (pack.size() >= packSize) {
                pack.close();
                open = null;
            }
        }
        boolean written = false;
        try {
            sealer.accept(place);
            written = !place.hasRemaining();
        } finally {
            if (filled(pack, written)) {
                store(pack);
            }
        }
    }

    /** Records one written place; answers whether the pack is now complete and this caller must store it. */
    private synchronized boolean filled(PackBuilder pack, boolean written) {
        if (!written && failure == null) {
            failure = new IllegalStateException("a chunk of pack " + pack.id() + " was not sealed into its place");
        }
        return pack.placeWritten() && failure == null;
    }

    /** Stores the pack being filled, if any. Called once every chunk has been added. */
    void flush() {
        PackBuilder last;
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
            last = open;
            open = null;
            if (last != null && !last.close()) {
                throw new IllegalStateException("pack " + last.id() + " flushed while chunks were being sealed");
            }
        }
        if (last != null && !last.isEmpty()) {
            store(last);
        } else if (last != null) {
            buffers.give(last.buffer());
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
                failure = e;
            }
            throw e;
        } finally {
            buffers.give(pack.buffer());
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
            open = null; // its buffer may still be written by a failed writer's task: left to the collector
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
