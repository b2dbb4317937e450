package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cryptography of one worker's chunks, from buffer to buffer: HMAC-SHA-256 ids computed on the disk's
 * read buffer in place, and AES-256-GCM from that buffer (or the compressor's output) straight into the
 * chunk's place in the pack. Not thread-safe: each worker's encoder owns one. Close it.
 */
abstract class ChunkCrypto implements AutoCloseable {

    static ChunkCrypto create(MasterKeys keys) {
        return jdk(keys);
    }

    static ChunkCrypto jdk(MasterKeys keys) {
        return new Jdk(keys);
    }

    /** HMAC-SHA-256 of {@code data}'s remaining bytes into {@code out[0..32)}; {@code data} is unchanged. */
    abstract void id(ByteBuffer data, byte[] out);

    /**
     * Encrypts {@code src}'s remaining bytes into {@code dst} at its position: the ciphertext, then the 16-byte
     * tag. Advances {@code dst} past them and leaves {@code src} unchanged.
     */
    abstract void encrypt(byte[] nonce, byte[] aad, ByteBuffer src, ByteBuffer dst);

    abstract boolean isNative();

    @Override
    public abstract void close();

    /** The JDK's HmacSHA256 and AES/GCM/NoPadding. */
    private static final class Jdk extends ChunkCrypto {
        /** JDK 17 runs GCM several times faster fed in slices than given a whole chunk in one call. */
        private static final int SLICE = 4 << 10;
        private final Mac mac;
        private final Cipher cipher;
        private final SecretKeySpec key;

        Jdk(MasterKeys keys) {
            this.key = keys.encryption();
            try {
                this.mac = Mac.getInstance("HmacSHA256");
                mac.init(keys.chunkId());
                this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK lacks HmacSHA256 or AES/GCM/NoPadding", e);
            }
        }

        @Override
        void id(ByteBuffer data, byte[] out) {
            mac.update(data.duplicate());
            try {
                mac.doFinal(out, 0);
            } catch (ShortBufferException e) {
                throw new IllegalArgumentException("an id needs 32 bytes", e);
            }
        }

        @Override
        void encrypt(byte[] nonce, byte[] aad, ByteBuffer src, ByteBuffer dst) {
            try {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(Aead.TAG_BYTES * 8, nonce));
                cipher.updateAAD(aad);
                ByteBuffer in = src.duplicate();
                while (in.remaining() > SLICE) {
                    cipher.update(in.duplicate().limit(in.position() + SLICE), dst);
                    in.position(in.position() + SLICE);
                }
                cipher.doFinal(in, dst);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-GCM encryption failed: " + e, e);
            }
        }

        @Override
        boolean isNative() {
            return false;
        }

        @Override
        public void close() {
            // nothing native to free
        }
    }
}
