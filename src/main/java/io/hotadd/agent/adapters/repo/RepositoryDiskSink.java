package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BackupRepository.NewDisk;
import io.hotadd.agent.port.BlockSink;
import io.hotadd.agent.port.BufferHold;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The block sink for one disk of a restore point being written. Data is cut on the chunk grid and handed
 * to the writer's {@link ChunkPipeline}; zero ranges remove their positions from the map, which is how an
 * incremental records that blocks of the parent are now empty. {@link #commit} waits until every chunk is
 * hashed, packed and mapped; the disk becomes visible only with the restore point's commit.
 */
final class RepositoryDiskSink implements BlockSink {
    private enum State { OPEN, COMMITTED, ABORTED }

    private final NewDisk disk;
    private final DiskMap map;
    private final ChunkPipeline pipeline;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong newBytes = new AtomicLong();
    private int inFlight;
    private long nextOffset;
    private State state = State.OPEN;

    RepositoryDiskSink(NewDisk disk, DiskMap map, ChunkPipeline pipeline) {
        this.disk = disk;
        this.map = map;
        this.pipeline = pipeline;
    }

    NewDisk spec() {
        return disk;
    }

    DiskMap map() {
        return map;
    }

    long newBytes() {
        return newBytes.get();
    }

    boolean isCommitted() {
        return state == State.COMMITTED;
    }

    @Override
    public int blockSize() {
        return map.chunkSize();
    }

    @Override
    public void data(long diskOffset, ByteBuffer data) {
        data(diskOffset, data, null);
    }

    /** With a hold, chunks are hashed, compressed and encrypted in the caller's buffer instead of a copy. */
    @Override
    public void data(long diskOffset, ByteBuffer data, BufferHold hold) {
        checkHandOver(diskOffset, data.remaining());
        ByteBuffer rest = data.duplicate();
        long offset = diskOffset;
        while (rest.hasRemaining()) {
            int n = Math.min(rest.remaining(), map.chunkSize());
            ByteBuffer chunk = rest.duplicate().limit(rest.position() + n);
            if (hold != null) {
                pipeline.submit(this, offset / map.chunkSize(), chunk, hold);
            } else {
                pipeline.submit(this, offset / map.chunkSize(), chunk);
            }
            rest.position(rest.position() + n);
            offset += n;
        }
        nextOffset = offset;
    }

    @Override
    public void zeros(long diskOffset, long length) {
        checkHandOver(diskOffset, length);
        for (long off = diskOffset; off < diskOffset + length; off += map.chunkSize()) {
            map.remove(off / map.chunkSize());
        }
        nextOffset = diskOffset + length;
    }

    /** Enforces the BlockSink contract: ascending, chunk-aligned, whole chunks except at the disk's end. */
    private void checkHandOver(long offset, long length) {
        rethrowFailure();
        if (state != State.OPEN) {
            throw new IllegalStateException("disk " + disk.key() + " was already " + state.name().toLowerCase());
        }
        long end = offset + length;
        boolean aligned = offset % map.chunkSize() == 0 && (length % map.chunkSize() == 0 || end == map.capacity());
        if (!aligned || offset < nextOffset || end > map.capacity()) {
            throw new IllegalArgumentException("disk " + disk.key() + ": range [" + offset + "+" + length + ") must"
                    + " start at or after " + nextOffset + ", on the " + map.chunkSize() + "-byte grid, whole chunks"
                    + " except at the disk's end " + map.capacity());
        }
    }

    @Override
    public void commit() {
        awaitTasks();
        rethrowFailure();
        if (state == State.ABORTED) {
            throw new IllegalStateException("disk " + disk.key() + " was aborted; it cannot be committed");
        }
        state = State.COMMITTED;
    }

    @Override
    public void abort() {
        failure.compareAndSet(null, new IllegalStateException("disk " + disk.key() + " aborted"));
        awaitTasks();
        state = State.ABORTED;
    }

    @Override
    public void close() {
        if (state == State.OPEN) {
            abort();
        }
    }

    boolean failed() {
        return failure.get() != null;
    }

    void mapped(long position, ChunkId id) {
        map.put(position, id);
    }

    void addNewBytes(long n) {
        newBytes.addAndGet(n);
    }

    synchronized void taskStarted() {
        inFlight++;
    }

    synchronized void taskFinished(Throwable t) {
        if (t != null) {
            failure.compareAndSet(null, t);
        }
        inFlight--;
        notifyAll();
    }

    private synchronized void awaitTasks() {
        while (inFlight > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RepositoryInterruptedException("interrupted while disk " + disk.key() + " was being stored");
            }
        }
    }

    private void rethrowFailure() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException r && state != State.ABORTED) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }
}
