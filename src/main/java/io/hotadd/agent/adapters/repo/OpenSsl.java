package io.hotadd.agent.adapters.repo;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import org.jboss.logging.Logger;

/**
 * OpenSSL 3's libcrypto (Debian package libssl3, on every Debian 12 system) through jnr-ffi. Measured on the
 * 2-core development VM in CPU seconds (bench/README.md), against JDK 17 in the same fresh JVM:
 * <ul>
 *   <li>AES-256-GCM of new chunks: 0.5 s instead of 1.3-1.5 s for 1.1 GB. OpenSSL runs at 2.2-2.5 GB/s per
 *   core from the first byte; the JDK at 40-200 MB/s until C2 has compiled its GCM intrinsic (the first
 *   200-900 MB of a fresh JVM), and at 1.4-2 GB/s on direct buffers after that.</li>
 *   <li>HMAC-SHA-256 chunk ids: about 10 % less CPU per byte than the JDK's SHA-256 intrinsic (both use the
 *   CPU's SHA instructions), and nothing for C2 to compile: an unchanged second full, which only hashes,
 *   took 3.8-4.0 s instead of 5.0-5.2 s.</li>
 *   <li>PBKDF2-HMAC-SHA256 of a passphrase, paid at every repository open: 600 000 iterations in 0.3 s of
 *   CPU instead of 1.5 s in a fresh JVM.</li>
 * </ul>
 * Loading the binding costs about 1 s of CPU once per process (jnr-ffi generates and compiles its call
 * stubs); the agent loads jnr-ffi for its block-device ioctls anyway.
 *
 * <p>When libcrypto cannot be loaded (not installed, another architecture, {@code -Dhotadd.openssl=false})
 * the repository uses the JDK for everything; both produce the same bytes. Native image: as for
 * {@code BlockIoctls}, jnr-ffi needs {@code -Djnr.ffi.asm.enabled=false} and reflection registration of
 * {@link LibCrypto}; without them loading fails and the JDK path is used.
 */
final class OpenSsl {
    private static final Logger LOG = Logger.getLogger(OpenSsl.class);
    /** The soname of OpenSSL 3; its ABI is stable across 3.x, and 1.1 or a future 4 must not be picked up. */
    static final String SONAME = "libcrypto.so.3";
    static final int EVP_CTRL_GCM_GET_TAG = 0x10;
    private static final int OSSL_PARAM_UTF8_STRING = 4;
    /** sizeof(OSSL_PARAM) on LP64 (x86_64, aarch64): key, data_type (padded), data, data_size, return_size. */
    private static final int OSSL_PARAM_BYTES = 40;

    /** The libcrypto functions used; public only because jnr-ffi implements it by proxy. */
    public interface LibCrypto {
        long OpenSSL_version_num();

        Pointer EVP_aes_256_gcm();

        Pointer EVP_sha256();

        Pointer EVP_CIPHER_CTX_new();

        void EVP_CIPHER_CTX_free(Pointer ctx);

        int EVP_EncryptInit_ex(Pointer ctx, Pointer cipher, Pointer engine, @In byte[] key, @In byte[] iv);

        /** The associated-data form: no output buffer. */
        int EVP_EncryptUpdate(Pointer ctx, Pointer noOutput, @Out int[] outLength, @In byte[] aad, int aadLength);

        int EVP_EncryptUpdate(Pointer ctx, @intptr_t long out, @Out int[] outLength, @intptr_t long in, int length);

        int EVP_EncryptFinal_ex(Pointer ctx, @intptr_t long out, @Out int[] outLength);

        int EVP_CIPHER_CTX_ctrl(Pointer ctx, int type, int arg, @intptr_t long ptr);

        Pointer EVP_MAC_fetch(Pointer libctx, String algorithm, Pointer properties);

        Pointer EVP_MAC_CTX_new(Pointer mac);

        void EVP_MAC_CTX_free(Pointer ctx);

        int EVP_MAC_init(Pointer ctx, @In byte[] key, @size_t long keyLength, Pointer params);

        int EVP_MAC_update(Pointer ctx, @intptr_t long data, @size_t long length);

        int EVP_MAC_final(Pointer ctx, @Out byte[] out, @Out long[] outLength, @size_t long outSize);

        int PKCS5_PBKDF2_HMAC(@In byte[] pass, int passLength, @In byte[] salt, int saltLength, int iterations,
                              Pointer digest, int keyLength, @Out byte[] out);

        void ERR_clear_error();
    }

    /** Loaded once, on first use; null when unusable. */
    private static final class Holder {
        static final LibCrypto LIB = load();
        /** Fetched once: a fetch looks the algorithm up in the provider store under a global lock. */
        static final Pointer HMAC = LIB == null ? null : LIB.EVP_MAC_fetch(null, "HMAC", null);
    }

    private OpenSsl() {
    }

    /** libcrypto, or empty when it cannot be used here (the reason was logged once). */
    static Optional<LibCrypto> library() {
        return Holder.HMAC == null ? Optional.empty() : Optional.of(Holder.LIB);
    }

    /** The HMAC algorithm, for per-worker contexts. */
    static Pointer hmacAlgorithm() {
        return Holder.HMAC;
    }

    private static LibCrypto load() {
        if (!Boolean.parseBoolean(System.getProperty("hotadd.openssl", "true"))) {
            LOG.info("OpenSSL disabled by -Dhotadd.openssl=false: chunk crypto and PBKDF2 use the JDK");
            return null;
        }
        try {
            LibCrypto lib = LibraryLoader.create(LibCrypto.class).failImmediately().load(SONAME);
            long version = lib.OpenSSL_version_num();
            if (version >>> 28 != 3 || Runtime.getRuntime(lib).addressSize() != 8) {
                LOG.infof("%s reports version %x on a %d-bit runtime, not OpenSSL 3 on LP64: chunk crypto and"
                        + " PBKDF2 use the JDK", SONAME, version, Runtime.getRuntime(lib).addressSize() * 8);
                return null;
            }
            return lib;
        } catch (LinkageError | RuntimeException e) {
            LOG.infof("%s not usable (%s; Debian package libssl3): chunk crypto and PBKDF2 use the JDK, which"
                    + " costs more CPU in a fresh JVM", SONAME, e.toString());
            return null;
        }
    }

    /** The native address of a direct buffer's position. The caller keeps the buffer reachable during the call. */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("libcrypto works on direct buffers only");
        }
        return MemoryIO.getInstance().getDirectBufferAddress(direct) + direct.position();
    }

    /**
     * {@code OSSL_PARAM[] { {"digest", UTF8 "SHA256"}, end }} for EVP_MAC_init. jnr-ffi has no helper for
     * OSSL_PARAM, so the array and its two strings are laid out by hand in one block, which lives as long as
     * the returned pointer. OpenSSL reads it only during the call.
     */
    static Pointer sha256Params(LibCrypto lib) {
        Pointer block = Memory.allocateDirect(Runtime.getRuntime(lib), 2 * OSSL_PARAM_BYTES + 16, true);
        int keyAt = 2 * OSSL_PARAM_BYTES;
        block.put(keyAt, "digest\0".getBytes(StandardCharsets.US_ASCII), 0, 7);
        block.put(keyAt + 8, "SHA256\0".getBytes(StandardCharsets.US_ASCII), 0, 7);
        block.putAddress(0, block.address() + keyAt);
        block.putInt(8, OSSL_PARAM_UTF8_STRING);
        block.putAddress(16, block.address() + keyAt + 8);
        block.putLong(24, 6); // strlen("SHA256")
        block.putLong(32, -1); // OSSL_PARAM_UNMODIFIED; the second, all-zero entry ends the array
        return block;
    }

    /**
     * PBKDF2-HMAC-SHA256 of {@code passphrase} encoded as UTF-8, as the JDK's PBKDF2WithHmacSHA256 encodes it,
     * so both derive the same key.
     */
    static byte[] pbkdf2Sha256(LibCrypto lib, char[] passphrase, byte[] salt, int iterations, int keyBytes) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
        byte[] pass = Arrays.copyOf(encoded.array(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        byte[] out = new byte[keyBytes];
        try {
            if (lib.PKCS5_PBKDF2_HMAC(pass, pass.length, salt, salt.length, iterations, lib.EVP_sha256(), keyBytes,
                    out) != 1) {
                lib.ERR_clear_error();
                throw new IllegalStateException("OpenSSL PKCS5_PBKDF2_HMAC failed");
            }
            return out;
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }
}
