package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.port.BlockSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Disk images of known content for the I/O tests, and their digests read two independent ways. */
final class DiskContent {

    private DiskContent() {
    }

    /** Writes {@code size} pseudo-random bytes (deterministic for {@code seed}) to a new file. */
    static Path randomImage(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
        return file;
    }

    /** SHA-256 of a file read the ordinary, buffered way: the reference the O_DIRECT path must match. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = newDigest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[64 * 1024];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of a whole source read front to back through one reused aligned buffer of {@code bufferSize}. */
    static String sha256(BlockSource source, int bufferSize) {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = AlignedBuffers.allocate(bufferSize, source.alignment());
        for (long offset = 0; offset < source.size(); offset += bufferSize) {
            buffer.clear().limit((int) Math.min(bufferSize, source.size() - offset));
            source.read(offset, buffer);
            digest.update(buffer.flip());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The bytes of {@code file} at {@code offset}, read the ordinary way. */
    static byte[] bytesAt(Path file, long offset, int length) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] part = new byte[length];
        System.arraycopy(all, (int) offset, part, 0, length);
        return part;
    }

    static byte[] remainingBytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
