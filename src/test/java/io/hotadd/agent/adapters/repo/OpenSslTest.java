package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * OpenSSL and the JDK must give the same bytes, or a repository written on one could not be read on the
 * other: HMAC-SHA-256 ids, AES-256-GCM ciphertexts and tags, PBKDF2 keys. Checked against the JDK's own
 * classes here; ChunkCodecTest checks whole chunks and every read-back test checks OpenSSL-written chunks
 * with the JDK-based decoder.
 */
class OpenSslTest {
    private static final int[] LENGTHS = {0, 1, 15, 16, 17, 4095, 4096, 65_536 + 3, 1 << 20};

    private static MasterKeys keys(long seed) {
        byte[] material = new byte[MasterKeys.BYTES];
        new Random(seed).nextBytes(material);
        return new MasterKeys(material);
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(Math.max(bytes.length, 1)).put(bytes).flip();
    }

    @Test
    void isUsedWhereverLibssl3IsInstalled() {
        boolean installed = Files.exists(Path.of("/usr/lib/x86_64-linux-gnu", OpenSsl.SONAME))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu", OpenSsl.SONAME));
        assumeTrue(Boolean.parseBoolean(System.getProperty("hotadd.openssl", "true")), "disabled on purpose");
        assertEquals(installed, OpenSsl.library().isPresent(), "libssl3 installed: " + installed);
    }

    @Test
    void hmacIdsAreTheJdksForEveryLengthAndAContextReusedAcrossChunks() throws Exception {
        assumeTrue(OpenSsl.library().isPresent(), "libcrypto.so.3 not available");
        MasterKeys k = keys(1);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(k.chunkId());
        try (ChunkCrypto openSsl = ChunkCrypto.openSsl(k); ChunkCrypto jdk = ChunkCrypto.jdk(k)) {
            Random random = new Random(2);
            for (int length : LENGTHS) {
                byte[] data = new byte[length];
                random.nextBytes(data);
                byte[] expected = mac.doFinal(data);
                byte[] viaOpenSsl = new byte[32];
                byte[] viaJdk = new byte[32];
                openSsl.id(direct(data), viaOpenSsl);
                jdk.id(direct(data), viaJdk);
                assertArrayEquals(expected, viaOpenSsl, "OpenSSL HMAC of " + length + " bytes");
                assertArrayEquals(expected, viaJdk, "JDK HMAC of " + length + " bytes");
            }
        }
    }

    @Test
    void gcmCiphertextsAndTagsAreTheJdksForEveryLength() throws Exception {
        assumeTrue(OpenSsl.library().isPresent(), "libcrypto.so.3 not available");
        MasterKeys k = keys(3);
        Random random = new Random(4);
        try (ChunkCrypto openSsl = ChunkCrypto.openSsl(k); ChunkCrypto jdk = ChunkCrypto.jdk(k)) {
            for (int length : LENGTHS) {
                byte[] data = new byte[length];
                byte[] nonce = new byte[Aead.NONCE_BYTES];
                byte[] aad = new byte[33];
                random.nextBytes(data);
                random.nextBytes(nonce);
                random.nextBytes(aad);
                Cipher reference = Cipher.getInstance("AES/GCM/NoPadding");
                reference.init(Cipher.ENCRYPT_MODE, k.encryption(), new GCMParameterSpec(128, nonce));
                reference.updateAAD(aad);
                byte[] expected = reference.doFinal(data);
                assertArrayEquals(expected, encrypt(openSsl, nonce, aad, data), "OpenSSL, " + length + " bytes");
                assertArrayEquals(expected, encrypt(jdk, nonce, aad, data), "JDK slices, " + length + " bytes");
            }
        }
    }

    /** Encrypts into the middle of a larger buffer, as into a pack: nothing around the place may change. */
    private static byte[] encrypt(ChunkCrypto crypto, byte[] nonce, byte[] aad, byte[] data) {
        ByteBuffer pack = ByteBuffer.allocateDirect(data.length + Aead.TAG_BYTES + 200);
        ByteBuffer place = pack.duplicate().position(100).limit(100 + data.length + Aead.TAG_BYTES).slice();
        ByteBuffer src = direct(data);
        crypto.encrypt(nonce, aad, src, place);
        assertEquals(0, place.remaining(), "ciphertext and tag fill the place");
        assertEquals(0, src.position(), "the source is only read");
        for (int i = 0; i < 100; i++) {
            assertEquals(0, pack.get(i));
            assertEquals(0, pack.get(pack.capacity() - 1 - i));
        }
        byte[] out = new byte[data.length + Aead.TAG_BYTES];
        pack.position(100).get(out);
        return out;
    }

    @Test
    void pbkdf2GivesTheJdksKeyAlsoForNonAsciiPassphrases() throws Exception {
        assumeTrue(OpenSsl.library().isPresent(), "libcrypto.so.3 not available");
        byte[] salt = new byte[32];
        new Random(5).nextBytes(salt);
        for (String passphrase : List.of("correct horse battery staple", "Grüße, 密码 🔑", "")) {
            assertArrayEquals(KeyStore.jdkPbkdf2(passphrase.toCharArray(), salt, 1000),
                    OpenSsl.pbkdf2Sha256(OpenSsl.library().get(), passphrase.toCharArray(), salt, 1000, 32),
                    "passphrase '" + passphrase + "'");
        }
    }

    /** One context per worker, many workers at once: each must see only its own chunks. */
    @Test
    void workersOnManyThreadsEachWithTheirOwnContextsAgreeWithTheJdk() throws Exception {
        assumeTrue(OpenSsl.library().isPresent(), "libcrypto.so.3 not available");
        MasterKeys k = keys(6);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                long seed = t;
                results.add(pool.submit(() -> sameAsJdk(k, seed)));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean sameAsJdk(MasterKeys k, long seed) {
        Random random = new Random(seed);
        try (ChunkCrypto openSsl = ChunkCrypto.openSsl(k); ChunkCrypto jdk = ChunkCrypto.jdk(k)) {
            for (int i = 0; i < 50; i++) {
                byte[] data = new byte[1 + random.nextInt(200_000)];
                byte[] nonce = new byte[Aead.NONCE_BYTES];
                random.nextBytes(data);
                random.nextBytes(nonce);
                byte[] a = new byte[32];
                byte[] b = new byte[32];
                openSsl.id(direct(data), a);
                jdk.id(direct(data), b);
                if (!java.util.Arrays.equals(a, b)
                        || !java.util.Arrays.equals(encrypt(openSsl, nonce, a, data), encrypt(jdk, nonce, a, data))) {
                    return false;
                }
            }
            return true;
        }
    }
}
