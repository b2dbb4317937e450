package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hashing, compressing, encrypting and packing chunks on the worker pool, for all disks of one restore
 * point writer. The engine calls a sink from one thread; the pipeline copies each chunk into one of a fixed
 * set of buffers and returns, so that thread goes on reading while the workers keep every core busy. When
 * all buffers are in flight the caller waits: memory stays bounded however fast the disk is.
 */
final class ChunkPipeline implements AutoCloseable {
    private final RepoContext repo;
    private final PackAssembler packs;
    private final BlockingQueue<byte[]> buffers;
    private final BlockingQueue<ChunkCodec.Encoder> encoders;
    /** Chunks this writer stores itself, so duplicates within one backup are stored once. */
    private final Set<ChunkId> storedHere = ConcurrentHashMap.newKeySet();

    ChunkPipeline(RepoContext repo, PackAssembler packs) {
        this.repo = repo;
        this.packs = packs;
        int parallelism = repo.env().parallelism();
        RepoConfig c = repo.config();
        this.buffers = new ArrayBlockingQueue<>(2 * parallelism + 2);
        for (int i = 0; i < 2 * parallelism + 2; i++) {
            buffers.add(new byte[c.chunkSize()]);
        }
        this.encoders = new ArrayBlockingQueue<>(parallelism);
        for (int i = 0; i < parallelism; i++) {
            encoders.add(repo.codec().encoder(c.chunkSize(), c.compressionLevel(), c.minSavings()));
        }
    }

    /** Copies the chunk's bytes (the caller reuses its buffer) and queues it; blocks while all buffers are busy. */
    void submit(RepositoryDiskSink sink, long position, ByteBuffer data) {
        byte[] buffer = take(buffers);
        int length = data.remaining();
        data.get(buffer, 0, length);
        sink.taskStarted();
        try {
            repo.env().workers().execute(() -> process(sink, position, buffer, length));
        } catch (RuntimeException e) {
            buffers.add(buffer);
            sink.taskFinished(e);
        }
    }

    private void process(RepositoryDiskSink sink, long position, byte[] buffer, int length) {
        Throwable failure = null;
        ChunkCodec.Encoder encoder = take(encoders);
        try {
            if (!sink.failed()) {
                ChunkId id = encoder.id(buffer, length);
                if (!repo.index().contains(id) && storedHere.add(id)) {
                    encoder.seal(id, buffer, length);
                    packs.add(id, encoder.flags(), length, encoder.sealed(), encoder.sealedLength());
                    sink.addNewBytes(encoder.sealedLength());
                }
                sink.mapped(position, id);
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            encoders.add(encoder);
            buffers.add(buffer);
            sink.taskFinished(failure);
        }
    }

    PackAssembler packs() {
        return packs;
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
}
