package io.hotadd.agent.adapters.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A repository in a local or NFS folder. Every object is written as restic does: a temp file in the target
 * folder, fsync, close, rename over the final name, fsync the folder. A crash leaves at most a temp file
 * (ignored by {@link #list}, removed by prune), never a partial object under a real name.
 *
 * <p>Full disks, refused permissions and read-only file systems are reported as non-retriable errors that
 * name the path: retrying cannot help until an operator acts.
 */
public final class LocalStorage implements Storage {
    static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final LocalFileSystem fs;

    /** A storage on the folder {@code root}, which is created if missing. */
    public LocalStorage(Path root) {
        this(root, new JdkLocalFileSystem());
    }

    LocalStorage(Path root, LocalFileSystem fs) {
        this.root = root.toAbsolutePath().normalize();
        this.fs = fs;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public void put(String name, ByteBuffer content) {
        Path target = resolve(name);
        Path dir = target.getParent();
        Path temp = dir.resolve(TEMP_PREFIX + target.getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        try {
            ensureDirectory(dir);
            fs.writeNew(temp, content);
            fs.force(temp);
            fs.move(temp, target);
            fs.forceDirectory(dir);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw failure(target, "write", e);
        }
    }

    /** Creates missing folders and fsyncs each new one's parent, so the folder entry itself is durable. */
    private void ensureDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(root.getParent())) {
            ensureDirectory(parent);
        }
        fs.createDirectories(dir);
        if (parent != null) {
            fs.forceDirectory(parent);
        }
    }

    @Override
    public byte[] get(String name) {
        Path p = resolve(name);
        try {
            return fs.read(p);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(p.toString(), "the repository folder " + root);
        } catch (IOException e) {
            throw failure(p, "read", e);
        }
    }

    @Override
    public byte[] getRange(String name, long offset, int length) {
        Path p = resolve(name);
        try {
            return fs.readRange(p, offset, length);
        } catch (NoSuchFileException e) {
            throw new ObjectNotFoundException(p.toString(), "the repository folder " + root);
        } catch (IOException e) {
            throw failure(p, "read " + length + " bytes at offset " + offset + " of", e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        Path dir = resolve(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        try {
            List<StoredObject> out = new ArrayList<>();
            for (LocalFileSystem.Listed f : fs.walk(dir)) {
                if (!f.path().getFileName().toString().startsWith(".")) {
                    out.add(new StoredObject(nameOf(f.path()), f.size()));
                }
            }
            return out;
        } catch (IOException e) {
            throw failure(dir, "list", e);
        }
    }

    @Override
    public int removeLeftovers() {
        try {
            int removed = 0;
            for (LocalFileSystem.Listed f : fs.walk(root)) {
                if (f.path().getFileName().toString().startsWith(TEMP_PREFIX)) {
                    removed += fs.delete(f.path()) ? 1 : 0;
                }
            }
            return removed;
        } catch (IOException e) {
            throw failure(root, "clean temp files in", e);
        }
    }

    @Override
    public void delete(String name) {
        Path p = resolve(name);
        try {
            if (fs.delete(p)) {
                fs.forceDirectory(p.getParent());
            }
        } catch (IOException e) {
            throw failure(p, "delete", e);
        }
    }

    private Path resolve(String name) {
        if (name.startsWith(".") || name.contains("..") || name.startsWith("/")) {
            throw new IllegalArgumentException("invalid object name '" + name + "'");
        }
        return root.resolve(name);
    }

    private String nameOf(Path p) {
        return root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
    }

    private void deleteQuietly(Path p) {
        try {
            fs.delete(p);
        } catch (IOException ignored) {
            // best effort: a leftover temp file is ignored by list and removed by prune
        }
    }

    /** Turns an I/O error into a typed error naming the path, non-retriable when an operator must act. */
    static StorageException failure(Path path, String operation, IOException e) {
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : String.valueOf(e.getMessage());
        String lower = reason.toLowerCase(java.util.Locale.ROOT);
        if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
            return new StorageException(path.toString(), "cannot " + operation + " " + path + ": permission denied;"
                    + " give the agent's user read and write access to the repository folder", false, e);
        }
        if (lower.contains("no space left") || lower.contains("quota exceeded")) {
            return new StorageException(path.toString(), "cannot " + operation + " " + path + ": " + reason
                    + "; free space on the repository's file system or prune old restore points", false, e);
        }
        if (lower.contains("read-only file system")) {
            return new StorageException(path.toString(), "cannot " + operation + " " + path + ": the file system is"
                    + " mounted read-only; remount it read-write", false, e);
        }
        return new StorageException(path.toString(), "cannot " + operation + " " + path + ": " + e, true, e);
    }
}
