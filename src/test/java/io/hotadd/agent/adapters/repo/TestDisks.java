package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.domain.Extent;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/** Disk images for repository tests: mixed content, and random writes that report what they changed. */
final class TestDisks {
    private TestDisks() {
    }

    /**
     * Random, all-zero, text-like and duplicated regions, in 4 KiB pieces so chunk boundaries fall
     * anywhere; the size need not be a multiple of the chunk size.
     */
    static byte[] mixed(Random random, int size) {
        byte[] d = new byte[size];
        for (int off = 0; off < size; off += 4096) {
            int n = Math.min(4096, size - off);
            switch (random.nextInt(4)) {
                case 0 -> fillRandom(random, d, off, n);
                case 1 -> { } // zeros
                case 2 -> fillText(random, d, off, n);
                default -> System.arraycopy(d, 0, d, off, Math.min(n, off)); // a copy of the disk's start
            }
        }
        return d;
    }

    static void fillRandom(Random random, byte[] d, int off, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        System.arraycopy(b, 0, d, off, n);
    }

    static void fillText(Random random, byte[] d, int off, int n) {
        String[] words = {"backup ", "vmware ", "disk ", "sector ", "the ", "hot ", "add ", "proxy\n"};
        for (int i = 0; i < n; ) {
            byte[] w = words[random.nextInt(words.length)].getBytes();
            int k = Math.min(w.length, n - i);
            System.arraycopy(w, 0, d, off + i, k);
            i += k;
        }
    }

    /**
     * Writes {@code writes} random ranges into {@code disk}: random data, text, or zeros (so blocks of the
     * parent become holes). Answers the changed extents, as CBT would report them.
     */
    static List<Extent> randomWrites(Random random, byte[] disk, int writes) {
        List<Extent> changed = new ArrayList<>();
        for (int i = 0; i < writes; i++) {
            int len = 512 * (1 + random.nextInt(512));
            int off = 512 * random.nextInt(Math.max(1, (disk.length - len) / 512));
            len = Math.min(len, disk.length - off);
            switch (random.nextInt(3)) {
                case 0 -> fillRandom(random, disk, off, len);
                case 1 -> Arrays.fill(disk, off, off + len, (byte) 0);
                default -> fillText(random, disk, off, len);
            }
            changed.add(new Extent(off, len));
        }
        return changed;
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(java.nio.file.Path file) {
        try {
            return sha256(java.nio.file.Files.readAllBytes(file));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
