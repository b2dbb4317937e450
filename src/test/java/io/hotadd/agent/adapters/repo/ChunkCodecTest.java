package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
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

    private record Sealed(ChunkId id, ChunkLocation at, byte[] blob) {
    }

    private Sealed seal(byte[] data) {
        try (ChunkCodec.Encoder e = codec.encoder(CHUNK, 1, 0.05)) {
            ChunkId id = e.id(data, data.length);
            e.seal(id, data, data.length);
            byte[] blob = Arrays.copyOf(e.sealed(), e.sealedLength());
            return new Sealed(id, new ChunkLocation(new PackId(1, 2), 0, blob.length, data.length, e.flags()), blob);
        }
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
}
