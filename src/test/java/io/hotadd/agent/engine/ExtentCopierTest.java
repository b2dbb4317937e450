package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.ExtentCopier.Listener;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExtentCopierTest {
    private static final int BLOCK = 64 << 10;
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final BufferPool pool = new BufferPool(4, 256 << 10);

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    /** 1 MiB + 4 KiB disk: random data except blocks 2 and 3 (zeros); the odd tail tests the last block. */
    private static byte[] disk() {
        byte[] d = new byte[(1 << 20) + 4096];
        new Random(7).nextBytes(d);
        java.util.Arrays.fill(d, 2 * BLOCK, 4 * BLOCK, (byte) 0);
        return d;
    }

    @Test
    void copiesExtentsAndHandsZeroBlocksOverAsHoles() {
        byte[] d = disk();
        RecordingSink sink = new RecordingSink(d.length, BLOCK);
        long read = new ExtentCopier(readers, pool).copy(new MemoryBlockSource(d, 4096),
                List.of(new Extent(0, d.length)), sink, Listener.none());
        assertEquals(d.length, read);
        assertArrayEquals(d, sink.image);
        assertEquals(1, sink.zeroRanges.size());
        assertArrayEquals(new long[] {2 * BLOCK, 2 * BLOCK}, sink.zeroRanges.get(0));
        assertEquals(pool.capacity(), pool.available(), "every buffer back in the pool");
    }

    @Test
    void readsOnlyTheExtentsGrownToWholeBlocksAndClippedToTheDisk() {
        byte[] d = disk();
        RecordingSink sink = new RecordingSink(d.length, BLOCK);
        long read = new ExtentCopier(readers, pool).copy(new MemoryBlockSource(d, 4096),
                List.of(new Extent(100, 10), new Extent(d.length - 10, 10)), sink, Listener.none());
        assertEquals(BLOCK + 4096, read, "first block, plus the 4 KiB tail block");
        assertEquals(List.of(0L, (long) (1 << 20)), sink.dataRanges.stream().map(r -> r[0]).toList());
    }

    @Test
    void aReadErrorSurfacesAndReturnsEveryBuffer() {
        byte[] d = disk();
        MemoryBlockSource source = new MemoryBlockSource(d, 4096);
        source.failOffset = 512 << 10;
        source.failAt = new IllegalStateException("EIO at 512 KiB");
        RuntimeException e = assertThrows(IllegalStateException.class, () -> new ExtentCopier(readers, pool)
                .copy(source, List.of(new Extent(0, d.length)), new RecordingSink(d.length, BLOCK), Listener.none()));
        assertSame(source.failAt, e);
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void aSinkErrorStopsTheReaderAndReturnsEveryBuffer() throws Exception {
        byte[] d = disk();
        RecordingSink failing = new RecordingSink(d.length, BLOCK) {
            @Override
            public synchronized void data(long diskOffset, ByteBuffer data) {
                throw new IllegalStateException("repository full");
            }
        };
        assertThrows(IllegalStateException.class, () -> new ExtentCopier(readers, pool)
                .copy(new MemoryBlockSource(d, 4096), List.of(new Extent(0, d.length)), failing, Listener.none()));
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void cancellingStopsPromptly() {
        byte[] d = disk();
        AtomicLong seen = new AtomicLong();
        Listener cancelAfterFirst = new Listener(seen::addAndGet, () -> seen.get() > 0);
        assertThrows(CopyCancelled.class, () -> new ExtentCopier(readers, new BufferPool(2, 64 << 10))
                .copy(new MemoryBlockSource(d, 4096), List.of(new Extent(0, d.length)),
                        new RecordingSink(d.length, BLOCK), cancelAfterFirst));
        assertTrue(seen.get() < d.length, "stopped before reading everything");
    }

    @Test
    void theReaderFillsEveryFreeBufferWhileTheSinkIsBusy() throws Exception {
        byte[] d = disk();
        MemoryBlockSource source = new MemoryBlockSource(d, 4096);
        CountDownLatch readAhead = new CountDownLatch(1);
        RecordingSink slow = new RecordingSink(d.length, BLOCK) {
            @Override
            public synchronized void data(long diskOffset, ByteBuffer data) {
                if (diskOffset == 0) {
                    awaitQuietly(readAhead);
                }
                super.data(diskOffset, data);
            }
        };
        Thread watcher = new Thread(() -> {
            while (source.reads.get() < pool.capacity()) {
                Thread.onSpinWait();
            }
            readAhead.countDown();
        });
        watcher.start();
        new ExtentCopier(readers, pool).copy(source, List.of(new Extent(0, d.length)), slow, Listener.none());
        watcher.join(5000);
        assertArrayEquals(d, slow.image, "the reader ran " + pool.capacity() + " buffers ahead of a stalled sink");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), "the reader did not read ahead while the sink was busy");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps every buffer it is handed and reads it later on another thread, as the repository's workers do. */
    private static final class HoldingSink extends RecordingSink {
        private final ExecutorService worker = Executors.newSingleThreadExecutor();
        private final CountDownLatch go = new CountDownLatch(1);
        private final boolean fail;

        HoldingSink(int capacity, boolean fail) {
            super(capacity, BLOCK);
            this.fail = fail;
        }

        @Override
        public void data(long diskOffset, ByteBuffer data, io.hotadd.agent.port.BufferHold hold) {
            hold.retain();
            ByteBuffer view = data.duplicate();
            worker.execute(() -> {
                try {
                    awaitQuietly(go);
                    if (!fail) {
                        super.data(diskOffset, view);
                    }
                } finally {
                    hold.release();
                }
            });
        }
    }

    @Test
    void aSinkMayReadABufferAfterReturningUntilItLetsGoAndTheCopyWaitsForThat() throws Exception {
        byte[] d = disk();
        HoldingSink sink = new HoldingSink(d.length, false);
        Thread release = new Thread(() -> {
            while (pool.available() > 0) {
                Thread.onSpinWait(); // every buffer is held by the sink: the reader cannot read on
            }
            sink.go.countDown();
        });
        release.start();
        new ExtentCopier(readers, pool).copy(new MemoryBlockSource(d, 4096), List.of(new Extent(0, d.length)), sink,
                Listener.none());
        assertArrayEquals(d, sink.image, "held buffers were not overwritten before the sink let go of them");
        assertEquals(pool.capacity(), pool.available(), "copy returned with every buffer back in the pool");
        sink.worker.shutdown();
        release.join(5000);
    }

    @Test
    void buffersHeldByAFailingSinkStillComeBack() {
        byte[] d = disk();
        HoldingSink sink = new HoldingSink(d.length, true);
        sink.go.countDown();
        new ExtentCopier(readers, pool).copy(new MemoryBlockSource(d, 4096), List.of(new Extent(0, d.length)), sink,
                Listener.none());
        assertEquals(pool.capacity(), pool.available());
        sink.worker.shutdown();
    }
}
