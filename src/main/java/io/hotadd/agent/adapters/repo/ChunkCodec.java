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
 * ids say nothing to whoever lacks it. The JDK computes SHA-256 with the CPU's SHA extensions
 * (-XX:+UseSHA256Intrinsics, on by default where the CPU has them).
 *
 * <p>Blob: zstd-compressed when that saves at least the configured fraction, else raw; then AES-256-GCM
 * with the id and the flags byte as associated data, so a blob swapped for another, or a flag flipped in
 * an index, fails authentication instead of decoding to wrong data.
 */
final class ChunkCodec {
    static final byte FLAG_ZSTD = 1;

    private final Aead aead;
    private final MasterKeys keys;

    ChunkCodec(MasterKeys keys, Random random) {
        this.keys = keys;
        this.aead = new Aead(keys.encryption(), random);
    }

    /** A worker's reusable state: HMAC, zstd context and output buffers. Not thread-safe; close it. */
    Encoder encoder(int chunkSize, int level, double minSavings) {
        return new Encoder(chunkSize, level, minSavings);
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
        return ChunkId.of(newMac().doFinal(java.util.Arrays.copyOf(data, length)), 0);
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

    /** Reusable per-worker encoding state. */
    final class Encoder implements AutoCloseable {
        private final Mac mac = newMac();
        private final ZstdCompressCtx zstd = new ZstdCompressCtx();
        private final double minSavings;
        private final byte[] compressed;
        private final byte[] sealed;
        private final byte[] idBytes = new byte[ChunkId.BYTES];
        private byte flags;
        private int sealedLength;

        Encoder(int chunkSize, int level, double minSavings) {
            this.minSavings = minSavings;
            zstd.setLevel(level);
            this.compressed = new byte[(int) Zstd.compressBound(chunkSize)];
            this.sealed = new byte[compressed.length + Aead.OVERHEAD];
        }

        ChunkId id(byte[] data, int length) {
            mac.update(data, 0, length);
            try {
                mac.doFinal(idBytes, 0);
            } catch (javax.crypto.ShortBufferException e) {
                throw new IllegalStateException(e);
            }
            return ChunkId.of(idBytes, 0);
        }

        /** Compresses (if worth it) and seals; the result is in {@link #sealed()} until the next call. */
        void seal(ChunkId id, byte[] data, int length) {
            int n = zstd.compressByteArray(compressed, 0, compressed.length, data, 0, length);
            boolean worthIt = n <= length - (long) Math.ceil(length * minSavings);
            flags = worthIt ? FLAG_ZSTD : 0;
            byte[] aad = associatedData(id, flags);
            sealedLength = worthIt ? aead.seal(aad, compressed, 0, n, sealed, 0) : aead.seal(aad, data, 0, length,
                    sealed, 0);
        }

        byte[] sealed() {
            return sealed;
        }

        int sealedLength() {
            return sealedLength;
        }

        byte flags() {
            return flags;
        }

        @Override
        public void close() {
            zstd.close();
        }
    }
}
