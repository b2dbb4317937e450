package io.hotadd.agent.bench;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Single-thread throughput of each stage of the repository pipeline on 1 MiB chunks, after warm-up:
 * HMAC-SHA-256 (run it again with -XX:+UnlockDiagnosticVMOptions -XX:-UseSHA256Intrinsics to see what the
 * CPU's SHA extensions are worth), zstd at the default level on random and text data, AES-256-GCM.
 */
public final class StageBench {
    private static final int CHUNK = 1 << 20;
    private static final int ROUNDS = 512;

    private StageBench() {
    }

    public static void main(String[] args) throws Exception {
        byte[] random = new byte[CHUNK];
        new SplittableRandom(1).nextBytes(random);
        byte[] text = "the virtual machine disk block changed tracking snapshot 2024-05-01 INFO id=12345\n"
                .repeat(CHUNK / 80 + 1).substring(0, CHUNK).getBytes(StandardCharsets.US_ASCII);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        report("hmac-sha256", () -> mac.doFinal(random));
        ZstdCompressCtx zstd = new ZstdCompressCtx();
        zstd.setLevel(1);
        byte[] out = new byte[(int) Zstd.compressBound(CHUNK) + 64];
        report("zstd-1 random", () -> zstd.compressByteArray(out, 0, out.length, random, 0, CHUNK));
        report("zstd-1 text", () -> zstd.compressByteArray(out, 0, out.length, text, 0, CHUNK));
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        SecretKeySpec key = new SecretKeySpec(new byte[32], "AES");
        byte[] nonce = new byte[12];
        report("aes-256-gcm", () -> {
            nonce[0]++;
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            gcm.doFinal(random, 0, CHUNK, out, 0);
        });
        report("aes-gcm 16k", () -> {
            nonce[0]++;
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            int o = 0;
            for (int i = 0; i < CHUNK - (16 << 10); i += 16 << 10) {
                o += gcm.update(random, i, 16 << 10, out, o);
            }
            gcm.doFinal(random, CHUNK - (16 << 10), 16 << 10, out, o);
        });
    }

    private interface Stage {
        void run() throws Exception;
    }

    private static void report(String name, Stage stage) throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            stage.run(); // warm-up: let C2 compile the intrinsics in
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < ROUNDS; i++) {
            stage.run();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%-14s %7.0f MB/s%n", name, (double) ROUNDS * CHUNK / 1e6 / seconds);
    }
}
