package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BufferHold;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hashing, compressing, encrypting and packing chunks on the worker pool, for all disks of one restore
 * point writer. The engine calls a sink from one thread and returns at once, so that thread goes on
 * reading while the workers keep every core busy.
 *
 * <p>A chunk handed over with a {@link BufferHold} (the engine's read buffers) is worked on in place: the
 * worker hashes it, and compresses and encrypts it only if the repository does not have it yet, straight
 * from the read buffer, then lets go of the buffer; the engine's fixed set of read buffers bounds memory.
 * A chunk handed over without one is first copied into one of a fixed set of buffers of this pipeline;
 * when all are in flight the caller waits.
 */
final class ChunkPipeline implements AutoCloseable {
    private final RepoContext repo;
    private final PackAssembler packs;
    private final int copyBuffers;
    private final BlockingQueue<ByteBuffer> copies;
    private final BlockingQueue<ChunkCodec.Encoder> encoders;
    private int copiesAllocated;
    /** Chunks this writer stores itself, so duplicates within one backup are stored once. */
    private final Set<ChunkId> storedHere = ConcurrentHashMap.newKeySet();

    ChunkPipeline(RepoContext repo, PackAssembler packs) {
        this.repo = repo;
        this.packs = packs;
        int parallelism = repo.env().parallelism();
        RepoConfig c = repo.config();
        this.copyBuffers = 2 * parallelism + 2;
        this.copies = new ArrayBlockingQueue<>(copyBuffers);
        this.encoders = new ArrayBlockingQueue<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            encoders.add(repo.codec().encoder(c.chunkSize(), c.compressionLevel(), c.minSavings()));
        }
    }

    /** Queues the chunk to be worked on in place, holding the caller's buffer until then. */
    void submit(RepositoryDiskSink sink, long position, ByteBuffer data, BufferHold hold) {
        hold.retain();
        dispatch(sink, position, data, new Release(hold::release));
    }

    /** Copies the chunk's bytes (the caller reuses its buffer) and queues it; blocks while all copies are busy. */
    void submit(RepositoryDiskSink sink, long position, ByteBuffer data) {
        ByteBuffer copy = copyBuffer();
        copy.clear().put(data.duplicate()).flip();
        dispatch(sink, position, copy, new Release(() -> copies.add(copy)));
    }

    private void dispatch(RepositoryDiskSink sink, long position, ByteBuffer chunk, Release release) {
        sink.taskStarted();
        try {
            repo.env().workers().execute(() -> process(sink, position, chunk, release));
        } catch (RuntimeException e) {
            release.run();
            sink.taskFinished(e);
        }
    }

    private void process(RepositoryDiskSink sink, long position, ByteBuffer chunk, Release release) {
        Throwable failure = null;
        ChunkCodec.Encoder encoder = null;
        try {
            encoder = take(encoders);
            if (!sink.failed()) {
                ChunkCodec.Encoder e = encoder;
                ChunkId id = e.id(chunk);
                if (!repo.index().contains(id) && storedHere.add(id)) {
                    int sealedLength = e.prepare(id, chunk);
                    packs.add(id, e.flags(), chunk.remaining(), sealedLength, place -> {
                        e.sealInto(place);
                        release.run(); // the chunk is in the pack: the read buffer may be refilled during a store
                    });
                    sink.addNewBytes(sealedLength);
                }
                sink.mapped(position, id);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            if (encoder != null) {
                encoders.add(encoder);
            }
            release.run();
            sink.taskFinished(failure);
        }
    }

    PackAssembler packs() {
        return packs;
    }

    /** A free copy buffer; direct, because zstd and OpenSSL read native memory. Allocated on first need. */
    private ByteBuffer copyBuffer() {
        synchronized (this) {
            if (copies.isEmpty() && copiesAllocated < copyBuffers) {
                copiesAllocated++;
                return ByteBuffer.allocateDirect(repo.config().chunkSize());
            }
        }
        return take(copies);
    }

    private static <T> T take(BlockingQueue<T> queue) {
        try {
            return queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RepositoryInterruptedException("interrupted while waiting for a free chunk buffer or encoder");
        }
    }

    @Override
    public void close() {
        for (ChunkCodec.Encoder e; (e = encoders.poll()) != null; ) {
            e.close();
        }
    }

    /** Gives a chunk's buffer back once, whichever of sealing or the end of the task comes first. */
    private static final class Release implements Runnable {
        private final Runnable action;
        private final AtomicBoolean done = new AtomicBoolean();

        Release(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        }
    }
}
