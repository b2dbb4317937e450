package io.hotadd.agent.adapters.repo;

import java.security.GeneralSecurityException;
import java.util.Random;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh random 96-bit nonce per message, stored in front of the ciphertext:
 * {@code nonce(12) || ciphertext || tag(16)}. The associated data binds a message to what it is (a chunk's
 * id and flags, an object's name), so a blob moved to another place fails to open.
 *
 * <p>Random nonces bound the number of messages per key: NIST SP 800-38D allows 2^32 before the chance of
 * a repeated nonce exceeds 2^-32. With 1 MiB chunks that is 4 PiB of unique data per repository key.
 */
final class Aead {
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    static final int OVERHEAD = NONCE_BYTES + TAG_BYTES;
    /** Measured on JDK 17 (bench/StageBench): 4-16 KiB updates run at 1-2 GB/s, one 1 MiB doFinal at 0.04-0.6;
     * small slices also make the GHASH and CTR intrinsics take over sooner (their callers get hot faster). */
    private static final int SLICE = 4 << 10;

    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Aead::newCipher);
    /**
     * GCM decryption cannot be sliced (the JDK holds the plaintext back until the tag is checked), so a 1 MiB
     * chunk is one call, and JDK 17 compiles the AES/GHASH intrinsics only after many calls: a restore would
     * decrypt its first hundreds of MiB at 20-30 MB/s. Opening this many small messages once per process
     * (about 80 MiB, under a second) brings decryption to full speed (measured: 25 MB/s to 0.8-2 GB/s).
     */
    private static final int WARM_UP_MESSAGES = 20_000;
    private static final java.util.concurrent.atomic.AtomicBoolean WARMED = new java.util.concurrent.atomic.AtomicBoolean();

    private final SecretKeySpec key;
    private final Random random;

    Aead(SecretKeySpec key, Random random) {
        this.key = key;
        this.random = random;
    }

    /** Encrypts {@code src[off, off+len)} into {@code dst} at {@code dstOff}; answers the bytes written. */
    int seal(byte[] aad, byte[] src, int off, int len, byte[] dst, int dstOff) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, nonce));
            c.updateAAD(aad);
            System.arraycopy(nonce, 0, dst, dstOff, NONCE_BYTES);
            int out = dstOff + NONCE_BYTES;
            int in = off;
            // JDK 17's GCM runs several times faster fed in slices than given a whole chunk in one call
            for (; off + len - in > SLICE; in += SLICE) {
                out += c.update(src, in, SLICE, dst, out);
            }
            out += c.doFinal(src, in, off + len - in, dst, out);
            return out - dstOff;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e, e);
        }
    }

    byte[] seal(byte[] aad, byte[] plaintext) {
        byte[] out = new byte[plaintext.length + OVERHEAD];
        seal(aad, plaintext, 0, plaintext.length, out, 0);
        return out;
    }

    /**
     * Decrypts and authenticates a sealed blob into a new array.
     *
     * @throws AEADBadTagException when the blob, its nonce or the associated data was changed, or the key is
     *                             not the one it was sealed with
     */
    byte[] open(byte[] aad, byte[] blob, int off, int len) throws AEADBadTagException {
        if (len > (64 << 10) && WARMED.compareAndSet(false, true)) {
            warmUpDecryption();
        }
        if (len < OVERHEAD) {
            throw new AEADBadTagException("sealed blob of " + len + " bytes is shorter than nonce and tag");
        }
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, blob, off, NONCE_BYTES));
            c.updateAAD(aad);
            return c.doFinal(blob, off + NONCE_BYTES, len - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e, e);
        }
    }

    private void warmUpDecryption() {
        byte[] aad = {0};
        byte[] sealed = seal(aad, new byte[SLICE]);
        try {
            for (int i = 0; i < WARM_UP_MESSAGES; i++) {
                open(aad, sealed, 0, sealed.length);
            }
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("AES-GCM failed to open what it had just sealed", e);
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/GCM/NoPadding", e);
        }
    }
}
