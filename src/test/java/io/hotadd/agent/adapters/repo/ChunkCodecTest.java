package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunk encoding: when to compress, and that a blob opens only as what it was sealed as. */
class ChunkCodecTest {
    private static final int CHUNK = 64 << 10;
    private final byte[] material = new byte[MasterKeys.BYTES];
    private final ChunkCodec codec;

    ChunkCodecTest() {
        new Random(1).nextBytes(material);
        codec = new ChunkCodec(new MasterKeys(material), new SecureRandom());
    }

    record Sealed(ChunkId id, ChunkLocation at, byte[] blob) {
    }

    private Sealed seal(byte[] data) {
        try (ChunkCodec.Encoder e = codec.encoder(CHUNK, 1, 0.05)) {
            return seal(e, data);
        }
    }

    /** Hashes and seals like a pipeline worker, from a direct buffer as the engine's read buffers are. */
    static Sealed seal(ChunkCodec.Encoder e, byte[] data) {
        ByteBuffer chunk = ByteBuffer.allocateDirect(data.length).put(data).flip();
        ChunkId id = e.id(chunk);
        ByteBuffer place = ByteBuffer.allocateDirect(e.prepare(id, chunk));
        e.sealInto(place);
        assertEquals(0, place.remaining(), "the sealed length announced is the length written");
        assertEquals(0, chunk.position(), "the chunk's buffer is only read");
        byte[] blob = new byte[place.capacity()];
        place.flip().get(blob);
        return new Sealed(id, new ChunkLocation(new PackId(1, 2), 0, blob.length, data.length, e.flags()), blob);
    }

    @Test
    void compressibleChunksAreCompressedAndRandomOnesStoredRaw() {
        byte[] text = new byte[CHUNK];
        TestDisks.fillText(new Random(2), text, 0, CHUNK);
        Sealed t = seal(text);
        assertEquals(ChunkCodec.FLAG_ZSTD, t.at().flags());
        assertTrue(t.blob().length < CHUNK / 2, "text compresses: " + t.blob().length);
        assertArrayEquals(text, codec.decode(t.id(), t.at(), t.blob(), 0));
        byte[] random = new byte[CHUNK];
        new Random(3).nextBytes(random);
        Sealed r = seal(random);
        assertEquals(0, r.at().flags());
        assertEquals(CHUNK + Aead.OVERHEAD, r.blob().length, "raw: the chunk plus nonce and tag");
        assertArrayEquals(random, codec.decode(r.id(), r.at(), r.blob(), 0));
    }

    @Test
    void aBlobOpensOnlyUnderItsOwnIdAndFlagsAndTheIdIsKeyed() {
        byte[] a = new byte[CHUNK];
        byte[] b = new byte[CHUNK];
        TestDisks.fillText(new Random(4), a, 0, CHUNK);
        TestDisks.fillText(new Random(5), b, 0, CHUNK);
        Sealed sa = seal(a);
        Sealed sb = seal(b);
        assertThrows(RepositoryCorruptException.class, () -> codec.decode(sb.id(), sa.at(), sa.blob(), 0),
                "a blob put in another chunk's place");
        ChunkLocation flipped = new ChunkLocation(sa.at().pack(), 0, sa.at().length(), CHUNK, (byte) 0);
        assertThrows(RepositoryCorruptException.class, () -> codec.decode(sa.id(), flipped, sa.blob(), 0),
                "a compression flag changed in an index");
        byte[] otherKeys = material.clone();
        otherKeys[40] ^= 1;
        ChunkCodec other = new ChunkCodec(new MasterKeys(otherKeys), new SecureRandom());
        assertNotEquals(sa.id(), other.chunkId(a, a.length), "another repository's id key gives other ids");
        assertEquals(sa.id(), codec.chunkId(a, a.length));
    }

    /** Chunks of every kind the pipeline meets, including a short last chunk of a disk. */
    private static List<byte[]> chunks() {
        byte[] text = new byte[CHUNK];
        TestDisks.fillText(new Random(10), text, 0, CHUNK);
        byte[] random = new byte[CHUNK];
        new Random(11).nextBytes(random);
        byte[] tail = new byte[5000];
        TestDisks.fillText(new Random(12), tail, 0, tail.length);
        byte[] patchy = random.clone();
        java.util.Arrays.fill(patchy, CHUNK / 4, CHUNK / 2, (byte) 0);
        return List.of(text, random, tail, patchy, text);
    }

    @Test
    void openSslAndTheJdkSealEveryChunkToTheSameBytes() {
        assumeTrue(OpenSsl.library().isPresent(), "libcrypto.so.3 not available");
        // same keys and the same nonces: both codecs draw from equally seeded sources
        ChunkCodec a = new ChunkCodec(new MasterKeys(material), new Random(7));
        ChunkCodec b = new ChunkCodec(new MasterKeys(material), new Random(7));
        try (ChunkCodec.Encoder openSsl = a.encoder(CHUNK, 1, 0.05); ChunkCodec.Encoder jdk = b.jdkEncoder(CHUNK, 1,
                0.05)) {
            for (byte[] chunk : chunks()) {
                Sealed x = seal(openSsl, chunk);
                Sealed y = seal(jdk, chunk);
                assertEquals(y.id(), x.id());
                assertEquals(y.at(), x.at(), "same flags and lengths");
                assertArrayEquals(y.blob(), x.blob());
                assertArrayEquals(chunk, codec.decode(x.id(), x.at(), x.blob(), 0));
            }
        }
    }

    @Test
    void aHeapBufferIsHashedAndSealedLikeADirectOne() {
        byte[] text = chunks().get(0);
        try (ChunkCodec.Encoder e = codec.encoder(CHUNK, 1, 0.05)) {
            ByteBuffer heap = ByteBuffer.wrap(text);
            ChunkId id = e.id(heap);
            assertEquals(codec.chunkId(text, text.length), id);
            ByteBuffer place = ByteBuffer.allocateDirect(e.prepare(id, heap));
            e.sealInto(place);
            byte[] blob = new byte[place.capacity()];
            place.flip().get(blob);
            ChunkLocation at = new ChunkLocation(new PackId(1, 2), 0, blob.length, text.length, e.flags());
            assertArrayEquals(text, codec.decode(id, at, blob, 0));
        }
    }

    @Test
    void theProbeSkipsOnlyChunksInWhichZstdFindsNothing() {
        List<byte[]> c = chunks();
        try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
            zstd.setLevel(1);
            CompressionProbe probe = new CompressionProbe(zstd, ByteBuffer.allocateDirect(
                    (int) Zstd.compressBound(CHUNK)));
            assertTrue(probe.worthTrying(ByteBuffer.allocateDirect(CHUNK).put(c.get(0)).flip()), "text");
            assertFalse(probe.worthTrying(ByteBuffer.allocateDirect(CHUNK).put(c.get(1)).flip()), "random");
            assertTrue(probe.worthTrying(ByteBuffer.allocateDirect(CHUNK).put(c.get(3)).flip()),
                    "random with a quarter of zeros");
            assertTrue(probe.worthTrying(ByteBuffer.allocateDirect(5000).put(c.get(2)).flip()), "short: tried whole");
        }
        assertEquals(ChunkCodec.FLAG_ZSTD, seal(c.get(3)).at().flags(), "the zeros are worth compressing");
        assertEquals(0, seal(c.get(1)).at().flags());
    }
}
