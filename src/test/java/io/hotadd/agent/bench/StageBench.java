package io.hotadd.agent.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.hotadd.agent.adapters.repo.CryptoStages;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Throughput of each stage of the repository pipeline on 1 MiB chunks, in MB per CPU second of this thread
 * (wall time on a shared machine measures the neighbours). Each stage is measured twice in this fresh JVM:
 * "cold", its first 128 MiB, as a freshly started agent meets it, and "warm", after 512 MiB more, once the
 * JIT has compiled what it will. Run with -XX:+UnlockDiagnosticVMOptions -XX:-UseSHA256Intrinsics to see
 * what the CPU's SHA instructions are worth to the JDK.
 */
public final class StageBench {
    private static final int CHUNK = 1 << 20;
    private static final int COLD = 128;
    private static final int WARM_UP = 512;
    private static final int ROUNDS = 256;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private StageBench() {
    }

    public static void main(String[] args) throws Exception {
        SplittableRandom seed = new SplittableRandom(1);
        byte[] random = new byte[CHUNK];
        seed.nextBytes(random);
        // the benchmark image's text-like data: words in random order, not a repeated line zstd skims over
        byte[] text = java.util.Arrays.copyOf(RepoPipelineBench.textBlock(seed), CHUNK);
        ByteBuffer directRandom = ByteBuffer.allocateDirect(CHUNK).put(random).flip();
        ByteBuffer directText = ByteBuffer.allocateDirect(CHUNK).put(text).flip();
        ByteBuffer out = ByteBuffer.allocateDirect((int) Zstd.compressBound(CHUNK) + 64);
        hashing(random, directRandom);
        compression(directRandom, directText, out);
        encryption(random, directRandom, out);
    }

    private static void hashing(byte[] random, ByteBuffer direct) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        report("hmac-sha256 jdk", () -> mac.doFinal(random));
        try (CryptoStages jdk = CryptoStages.of(false).orElseThrow()) {
            report("hmac jdk direct", () -> jdk.hmac(direct));
        }
        CryptoStages.of(true).ifPresentOrElse(openSsl -> {
            report("hmac openssl", () -> openSsl.hmac(direct));
            openSsl.close();
        }, () -> System.out.println("hmac openssl        (libcrypto.so.3 not available)"));
    }

    private static void compression(ByteBuffer random, ByteBuffer text, ByteBuffer out) {
        try (ZstdCompressCtx zstd = new ZstdCompressCtx()) {
            zstd.setLevel(1);
            report("zstd-1 random", () -> zstd.compressDirectByteBuffer(out, 0, out.capacity(), random, 0, CHUNK));
            report("zstd-1 text", () -> zstd.compressDirectByteBuffer(out, 0, out.capacity(), text, 0, CHUNK));
            zstd.setLevel(-3);
            report("zstd--3 text", () -> zstd.compressDirectByteBuffer(out, 0, out.capacity(), text, 0, CHUNK));
        }
    }

    private static void encryption(byte[] random, ByteBuffer direct, ByteBuffer out) throws Exception {
        CryptoStages.of(true).ifPresentOrElse(openSsl -> {
            report("aes-gcm openssl", () -> openSsl.encrypt(direct, out));
            openSsl.close();
        }, () -> System.out.println("aes-gcm openssl     (libcrypto.so.3 not available)"));
        try (CryptoStages jdk = CryptoStages.of(false).orElseThrow()) {
            report("aes-gcm jdk direct", () -> jdk.encrypt(direct, out));
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        byte[] nonce = new byte[12];
        byte[] sealed = new byte[CHUNK + 16];
        report("aes-gcm jdk 1 MiB", () -> {
            nonce[0]++;
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            gcm.doFinal(random, 0, CHUNK, sealed, 0);
        });
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static void report(String name, Stage stage) {
        try {
            double cold = measure(stage, COLD);
            for (int i = 0; i < WARM_UP; i++) {
                stage.run();
            }
            System.out.printf("%-18s cold %6.0f  warm %6.0f MB per CPU second%n", name, cold, measure(stage, ROUNDS));
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    private static double measure(Stage stage, int rounds) throws Exception {
        long t0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            stage.run();
        }
        return (double) rounds * CHUNK / 1e6 / ((THREADS.getCurrentThreadCpuTime() - t0) / 1e9);
    }
}
