package io.hotadd.agent.adapters.repo;

import java.lang.ref.Reference;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import jnr.ffi.Pointer;

/**
 * The cryptography of one worker's chunks, from buffer to buffer: HMAC-SHA-256 ids computed on the disk's
 * read buffer in place, and AES-256-GCM from that buffer (or the compressor's output) straight into the
 * chunk's place in the pack. OpenSSL's libcrypto when it can be loaded (see {@link OpenSsl} for what it
 * gains), else the JDK; both give the same bytes. Not thread-safe: each worker's encoder owns one. Close it.
 */
abstract class ChunkCrypto implements AutoCloseable {

    /** OpenSSL when available, else the JDK. */
    static ChunkCrypto create(MasterKeys keys) {
        return OpenSsl.library().isPresent() ? openSsl(keys) : jdk(keys);
    }

    static ChunkCrypto jdk(MasterKeys keys) {
        return new Jdk(keys);
    }

    /** @throws IllegalStateException when libcrypto is not available */
    static ChunkCrypto openSsl(MasterKeys keys) {
        return new Native(OpenSsl.library().orElseThrow(() -> new IllegalStateException(OpenSsl.SONAME
                + " is not available")), keys);
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

    /**
     * OpenSSL's EVP HMAC and AES-256-GCM, one context of each per worker: keys are set once (HMAC's inner and
     * outer pads, AES's key schedule) and each chunk only resets them. Works on direct buffers only.
     */
    private static final class Native extends ChunkCrypto {
        private final OpenSsl.LibCrypto lib;
        private final int[] outLength = new int[1];
        private final long[] idLength = new long[1];
        private Pointer hmac;
        private Pointer gcm;

        Native(OpenSsl.LibCrypto lib, MasterKeys keys) {
            this.lib = lib;
            byte[] idKey = keys.chunkId().getEncoded();
            byte[] encryptionKey = keys.encryption().getEncoded();
            try {
                this.hmac = lib.EVP_MAC_CTX_new(OpenSsl.hmacAlgorithm());
                this.gcm = lib.EVP_CIPHER_CTX_new();
                if (hmac == null || gcm == null) {
                    close();
                    throw new OutOfMemoryError("OpenSSL could not allocate a context");
                }
                check(lib.EVP_MAC_init(hmac, idKey, idKey.length, OpenSsl.sha256Params(lib)), "EVP_MAC_init");
                check(lib.EVP_EncryptInit_ex(gcm, lib.EVP_aes_256_gcm(), null, encryptionKey, null),
                        "EVP_EncryptInit_ex");
            } finally {
                java.util.Arrays.fill(idKey, (byte) 0);
                java.util.Arrays.fill(encryptionKey, (byte) 0);
            }
        }

        @Override
        void id(ByteBuffer data, byte[] out) {
            check(lib.EVP_MAC_init(hmac, null, 0, null), "EVP_MAC_init"); // a null key keeps the key set first
            check(lib.EVP_MAC_update(hmac, OpenSsl.address(data), data.remaining()), "EVP_MAC_update");
            check(lib.EVP_MAC_final(hmac, out, idLength, out.length), "EVP_MAC_final");
            Reference.reachabilityFence(data);
            if (idLength[0] != ChunkId.BYTES) {
                throw new IllegalStateException("OpenSSL HMAC-SHA-256 gave " + idLength[0] + " bytes");
            }
        }

        @Override
        void encrypt(byte[] nonce, byte[] aad, ByteBuffer src, ByteBuffer dst) {
            int length = src.remaining();
            if (dst.remaining() < length + Aead.TAG_BYTES) {
                throw new BufferOverflowException();
            }
            long in = OpenSsl.address(src);
            long out = OpenSsl.address(dst);
            // the key schedule stays; only the nonce is set: a 12-byte IV is GCM's default length
            check(lib.EVP_EncryptInit_ex(gcm, null, null, null, nonce), "EVP_EncryptInit_ex");
            check(lib.EVP_EncryptUpdate(gcm, null, outLength, aad, aad.length), "EVP_EncryptUpdate (AAD)");
            check(lib.EVP_EncryptUpdate(gcm, out, outLength, in, length), "EVP_EncryptUpdate");
            int n = outLength[0];
            check(lib.EVP_EncryptFinal_ex(gcm, out + n, outLength), "EVP_EncryptFinal_ex");
            n += outLength[0];
            check(lib.EVP_CIPHER_CTX_ctrl(gcm, OpenSsl.EVP_CTRL_GCM_GET_TAG, Aead.TAG_BYTES, out + n), "GCM tag");
            Reference.reachabilityFence(src);
            Reference.reachabilityFence(dst);
            dst.position(dst.position() + n + Aead.TAG_BYTES);
        }

        private void check(int result, String call) {
            if (result != 1) {
                lib.ERR_clear_error(); // libcrypto's error queue is per thread and would otherwise grow
                throw new IllegalStateException("OpenSSL " + call + " failed");
            }
        }

        @Override
        boolean isNative() {
            return true;
        }

        /** Frees the contexts; OpenSSL cleanses the keys they hold. */
        @Override
        public void close() {
            if (hmac != null) {
                lib.EVP_MAC_CTX_free(hmac);
                hmac = null;
            }
            if (gcm != null) {
                lib.EVP_CIPHER_CTX_free(gcm);
                gcm = null;
            }
        }
    }
}
