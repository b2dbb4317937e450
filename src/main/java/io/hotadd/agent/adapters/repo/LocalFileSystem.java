package io.hotadd.agent.adapters.repo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The only way {@link LocalStorage} reaches the operating system, so tests can put a wrapper in between
 * that fails chosen calls (a full disk during fsync, a refused rename) the way a real kernel would.
 */
interface LocalFileSystem {

    /** Creates {@code file} (which must not exist) and writes every remaining byte of the buffer. */
    void writeNew(Path file, ByteBuffer content) throws IOException;

    /** fsync: the file's data and size are on stable storage. */
    void force(Path file) throws IOException;

    /** rename(2): atomically replaces {@code to}. */
    void move(Path from, Path to) throws IOException;

    /** fsync on the directory, so a rename or unlink inside it survives a power loss. */
    void forceDirectory(Path dir) throws IOException;

    void createDirectories(Path dir) throws IOException;

    byte[] read(Path file) throws IOException;

    byte[] readRange(Path file, long offset, int length) throws IOException;

    /** Regular files below {@code dir}, recursively, with their sizes; an absent dir is empty. */
    List<Listed> walk(Path dir) throws IOException;

    /** Removes the file; false when it was already gone. */
    boolean delete(Path file) throws IOException;

    record Listed(Path path, long size) {
    }
}
