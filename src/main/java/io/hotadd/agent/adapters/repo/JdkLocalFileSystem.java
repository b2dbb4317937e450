package io.hotadd.agent.adapters.repo;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@link LocalFileSystem} on the JDK's NIO calls.
 *
 * <p>Packs (large, page-aligned direct buffers) are written with O_DIRECT on ext4 and xfs: through the page
 * cache, writing the benchmark's 1.1 GB of packs cost 0.4-0.6 s of CPU in write(2) (page allocation and
 * the copy), with O_DIRECT 0.1 s; and a backup then does not push the proxy's page cache out, which is why
 * disks are read with O_DIRECT too. The block-aligned body goes direct, the last partial block buffered.
 * Other file systems (NFS, where O_DIRECT turns every write into a synchronous RPC; tmpfs) and any failure
 * of the direct path fall back to buffered writes, after which this instance stays buffered.
 */
class JdkLocalFileSystem implements LocalFileSystem {
    private static final int DIRECT_ALIGNMENT = 4096;
    private static final int DIRECT_MIN = 1 << 20;
    private static final Set<String> DIRECT_FILE_SYSTEMS = Set.of("ext4", "xfs");

    /** Null until the first large write looked at the file system; false once the direct path failed. */
    private volatile Boolean direct;

    @Override
    public void writeNew(Path file, ByteBuffer content) throws IOException {
        int body = content.remaining() & -DIRECT_ALIGNMENT;
        if (body >= DIRECT_MIN && content.isDirect() && content.alignmentOffset(content.position(),
                DIRECT_ALIGNMENT) == 0 && directCapable(file)) {
            try {
                writeDirect(file, content, body);
                return;
            } catch (IOException | UnsupportedOperationException e) {
                Files.deleteIfExists(file);
                writeBuffered(file, content); // a disk that failed, rather than O_DIRECT, fails here too
                direct = false;
                return;
            }
        }
        writeBuffered(file, content);
    }

    private static void writeBuffered(Path file, ByteBuffer content) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            while (content.hasRemaining()) {
                ch.write(content);
            }
        }
    }

    private boolean directCapable(Path file) throws IOException {
        Boolean d = direct;
        if (d == null) {
            d = DIRECT_FILE_SYSTEMS.contains(Files.getFileStore(file.getParent()).type());
            direct = d;
        }
        return d;
    }

    /** Creates {@code file} for O_DIRECT writes; tests override it to fail as a file system without it would. */
    FileChannel createDirect(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT);
    }

    private void writeDirect(Path file, ByteBuffer content, int body) throws IOException {
        ByteBuffer aligned = content.duplicate().limit(content.position() + body);
        try (FileChannel ch = createDirect(file)) {
            while (aligned.hasRemaining()) {
                ch.write(aligned);
            }
        }
        ByteBuffer tail = content.duplicate().position(content.position() + body);
        if (tail.hasRemaining()) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.position(body);
                while (tail.hasRemaining()) {
                    ch.write(tail);
                }
            }
        }
        content.position(content.limit());
    }

    @Override
    public void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    @Override
    public void move(Path from, Path to) throws IOException {
        Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void forceDirectory(Path dir) throws IOException {
        // Linux lets a directory be opened read-only and fsynced; that is what makes the rename durable.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void createDirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
    }

    @Override
    public byte[] read(Path file) throws IOException {
        return Files.readAllBytes(file);
    }

    @Override
    public byte[] readRange(Path file, long offset, int length) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(length);
            while (buf.hasRemaining()) {
                if (ch.read(buf, offset + buf.position()) < 0) {
                    throw new EOFException(file + " ends before " + (offset + length));
                }
            }
            return buf.array();
        }
    }

    @Override
    public List<Listed> walk(Path dir) throws IOException {
        List<Listed> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        out.add(new Listed(p, a.size()));
                    }
                } catch (IOException e) {
                    // removed between listing and stat (a concurrent delete): not there any more
                }
            });
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return out; // a subfolder vanished during the walk: what was seen is the answer
            }
            throw e.getCause();
        }
        return out;
    }

    @Override
    public boolean delete(Path file) throws IOException {
        return Files.deleteIfExists(file);
    }
}
