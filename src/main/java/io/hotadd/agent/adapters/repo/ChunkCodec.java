package io.hotadd.agent.adapters.repo;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Mac;

/**
 * Turns a chunk's plaintext into its id and sealed blob, and back.
 *
 * <p>Id: HMAC-SHA-256 under the repository's id key. A keyed hash, because a plain hash of plaintext lets
 * anyone holding the storage confirm a guess of content (is this known file on that disk?); with a key the
 * ids say nothing to whoever lacks it.
 *
 * <p>Blob: zstd-compressed when that saves at least the configured fraction, else raw; then AES-256-GCM
 * with the id and the flags byte as associated data, so a blob swapped for another, or a flag flipped in
 * an index, fails authentication instead of decoding to wrong data.
 *
 * <p>Backups encode with {@link Encoder} (OpenSSL when it loads, see {@link ChunkCrypto}); reads decode with
 * the JDK. Every test that reads back what it wrote therefore also checks that both agree.
 */
final class ChunkCodec {
    static final byte FLAG_ZSTD = 1;

    private final Aead aead;
    private final MasterKeys keys;
    private final Random random;

    ChunkCodec(MasterKeys keys, Random random) {
        this.keys = keys;
        this.random = random;
        this.aead = new Aead(keys.encryption(), random);
    }

    /** A worker's encoder, hashing and encrypting with OpenSSL when it can be loaded, else the JDK. */
    Encoder encoder(int chunkSize, int level, double minSavings) {
        return new Encoder(ChunkCrypto.create(keys), chunkSize, level, minSavings);
    }

    /** A worker's encoder on the JDK's cryptography only (tests compare the implementations). */
    Encoder jdkEncoder(int chunkSize, int level, double minSavings) {
        return new Encoder(ChunkCrypto.jdk(keys), chunkSize, level, minSavings);
    }

    static byte[] associatedData(ChunkId id, byte flags) {
        ByteBuffer b = ByteBuffer.allocate(ChunkId.BYTES + 1);
        id.write(b);
        return b.put(flags).array();
    }

    /**
     * Opens a blob, decompresses it and checks that it hashes to {@code id}.
     *
     * @throws RepositoryCorruptException saying which check failed
     */
    byte[] decode(ChunkId id, ChunkLocation at, byte[] blob, int off) {
        byte[] payload;
        try {
            payload = aead.open(associatedData(id, at.flags()), blob, off, at.length());
        } catch (AEADBadTagException e) {
            throw new RepositoryCorruptException("chunk " + id + " in pack " + at.pack() + " at byte " + at.offset()
                    + " fails AES-GCM authentication (damaged or replaced)");
        }
        byte[] raw = payload;
        if ((at.flags() & FLAG_ZSTD) != 0) {
            raw = new byte[at.rawLength()];
            long n = Zstd.decompressByteArray(raw, 0, raw.length, payload, 0, payload.length);
            if (Zstd.isError(n) || n != at.rawLength()) {
                throw new RepositoryCorruptException("chunk " + id + " in pack " + at.pack() + " does not decompress to"
                        + " its " + at.rawLength() + " bytes" + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""));
            }
        }
        if (raw.length != at.rawLength() || !id.equals(chunkId(raw, raw.length))) {
            throw new RepositoryCorruptException("chunk " + id + " in pack " + at.pack() + " decodes to data that"
                    + " does not hash to its id");
        }
        return raw;
    }

    ChunkId chunkId(byte[] data, int length) {
        Mac mac = newMac();
        mac.update(data, 0, length);
        return ChunkId.of(mac.doFinal(), 0);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keys.chunkId());
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    /**
     * A worker's reusable encoding state: HMAC, zstd context, cipher and buffers. Chunks are read in place
     * (direct buffers: the engine's read buffers), compressed into a buffer of its own and sealed straight
     * into the place the pack reserved. Not thread-safe; close it.
     */
    final class Encoder implements AutoCloseable {
        private final ZstdCompressCtx zstd = new ZstdCompressCtx();
        private final ChunkCrypto crypto;
        private final CompressionProbe probe;
        private final double minSavings;
        private final int chunkSize;
        private final ByteBuffer compressed;
        private final byte[] idBytes = new byte[ChunkId.BYTES];
        private final byte[] nonce = new byte[Aead.NONCE_BYTES];
        private ByteBuffer staging;
        private ByteBuffer payload;
        private byte[] aad;
        private byte flags;

        Encoder(ChunkCrypto crypto, int chunkSize, int level, double minSavings) {
            this.crypto = crypto;
            this.chunkSize = chunkSize;
            this.minSavings = minSavings;
            zstd.setLevel(level);
            this.compressed = ByteBuffer.allocateDirect((int) Zstd.compressBound(chunkSize));
            this.probe = new CompressionProbe(zstd, compressed);
        }

        /** The chunk's id, HMAC-SHA-256 of its remaining bytes; the buffer's position is unchanged. */
        ChunkId id(ByteBuffer chunk) {
            crypto.id(direct(chunk), idBytes);
            return ChunkId.of(idBytes, 0);
        }

        /**
         * Compresses the chunk if that saves at least the minimum, and draws its nonce; answers the sealed
         * length for {@link #sealInto}. The chunk's bytes must stay as they are until then.
         */
        int prepare(ChunkId id, ByteBuffer chunk) {
            ByteBuffer data = direct(chunk);
            int length = data.remaining();
            int n = probe.worthTrying(data) ? zstd.compressDirectByteBuffer(compressed, 0, compressed.capacity(),
                    data, data.position(), length) : Integer.MAX_VALUE;
            boolean worthIt = n <= length - (long) Math.ceil(length * minSavings);
            flags = worthIt ? FLAG_ZSTD : 0;
            payload = worthIt ? compressed.duplicate().clear().limit(n) : data.duplicate();
            aad = associatedData(id, flags);
            random.nextBytes(nonce);
            return Aead.NONCE_BYTES + payload.remaining() + Aead.TAG_BYTES;
        }

        /** Writes the prepared chunk's {@code nonce || ciphertext || tag} into {@code place} at its position. */
        void sealInto(ByteBuffer place) {
            place.put(nonce);
            crypto.encrypt(nonce, aad, payload, place);
        }

        byte flags() {
            return flags;
        }

        /** zstd and OpenSSL read native memory: a heap chunk (tests, other callers) is copied once. */
        private ByteBuffer direct(ByteBuffer chunk) {
            if (chunk.isDirect()) {
                return chunk.duplicate();
            }
            if (staging == null) {
                staging = ByteBuffer.allocateDirect(chunkSize);
            }
            return staging.clear().put(chunk.duplicate()).flip();
        }

        @Override
        public void close() {
            zstd.close();
            crypto.close();
        }
    }
}
