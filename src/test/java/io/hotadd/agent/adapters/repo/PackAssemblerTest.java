package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Packs are filled by reserving a place under the lock and sealing into it outside: a pack may be stored
 * only once every place in it is written, by whichever worker writes last, and never with a place left
 * unwritten.
 */
class PackAssemblerTest {
    private static final int CHUNK = 64 << 10;
    private final MemoryStorage storage = new MemoryStorage();
    private final Aead aead = new Aead(new SecretKeySpec(new byte[32], "AES"), new Random(1));
    private final PackBuffers buffers = new PackBuffers(2 * CHUNK, CHUNK, 2);
    private final PackAssembler packs = new PackAssembler(storage, aead, new Random(2), buffers, 2 * CHUNK);

    private static ChunkId id(int n) {
        return new ChunkId(n, n, n, n);
    }

    private static Consumer<ByteBuffer> fill(byte value) {
        return place -> {
            while (place.hasRemaining()) {
                place.put(value);
            }
        };
    }

    @Test
    void aFullPackIsStoredByTheWorkerThatWritesItsLastPlace() throws Exception {
        CountDownLatch firstReserved = new CountDownLatch(1);
        CountDownLatch secondStored = new CountDownLatch(1);
        Thread slow = new Thread(() -> packs.add(id(1), (byte) 0, CHUNK, CHUNK, place -> {
            firstReserved.countDown();
            await(secondStored); // still writing while the other worker's chunk fills the pack
            fill((byte) 1).accept(place);
        }));
        slow.start();
        assertTrue(firstReserved.await(10, TimeUnit.SECONDS));
        packs.add(id(2), (byte) 0, CHUNK, CHUNK + 10, fill((byte) 2)); // passes the 2-chunk target: pack closed
        assertTrue(storage.objects.isEmpty(), "not stored while a place is unwritten");
        secondStored.countDown();
        slow.join();
        assertEquals(1, storage.objects.size(), "stored by the slow worker once it wrote its place");
        byte[] pack = storage.objects.values().iterator().next();
        List<PackFormat.Entry> entries = packs.storedEntries();
        assertEquals(2, entries.size());
        ChunkLocation first = entries.get(0).location();
        ChunkLocation second = entries.get(1).location();
        assertEquals(PackFormat.HEADER_BYTES, first.offset());
        assertEquals(first.offset() + CHUNK, second.offset());
        assertEquals(1, pack[first.offset() + CHUNK - 1]);
        assertEquals(2, pack[second.offset()]);
        packs.flush();
        assertEquals(1, storage.objects.size(), "nothing left to store");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPlaceLeftUnwrittenPoisonsThePackAndTheWriter() {
        assertThrows(IllegalStateException.class, () -> packs.add(id(1), (byte) 0, CHUNK, CHUNK, place -> {
            throw new IllegalStateException("encryption failed");
        }));
        packs.add(id(2), (byte) 0, CHUNK, CHUNK + 10, fill((byte) 2));
        assertTrue(storage.objects.isEmpty(), "a pack with a garbage place is never stored");
        assertThrows(IllegalStateException.class, packs::flush);
    }

    @Test
    void aPackOfManyTinyChunksGetsItsTrailerInAnExactlySizedBuffer() {
        int tiny = Aead.OVERHEAD + 1;
        int count = 2 * CHUNK / tiny; // stays under the target, so one pack whose trailer outgrows the buffer
        for (int i = 0; i < count; i++) {
            packs.add(id(i), (byte) 0, 1, tiny, fill((byte) 7));
        }
        packs.flush();
        byte[] pack = storage.objects.values().iterator().next();
        assertTrue(pack.length > buffers.capacity(), "the trailer did not fit in the pooled buffer");
        int trailer = PackFormat.trailerLength(packs.storedEntries().get(0).location().pack(), pack, pack.length);
        assertEquals(count * PackFormat.ENTRY_BYTES + 4 + Aead.OVERHEAD, trailer);
        assertArrayEquals(new byte[] {7, 7}, java.util.Arrays.copyOfRange(pack, PackFormat.HEADER_BYTES,
                PackFormat.HEADER_BYTES + 2));
    }

    @Test
    void packBuffersAreReusedAndOnlyTheirOwnKindIsKept() {
        ByteBuffer a = buffers.take();
        buffers.give(a);
        assertTrue(a == buffers.take(), "the idle buffer comes back");
        buffers.give(ByteBuffer.allocate(buffers.capacity()));
        assertTrue(buffers.take().isDirect(), "a heap buffer handed back is not pooled");
    }
}
