package io.hotadd.agent.adapters.repo;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * The seam between the repository's logic and where its objects live (a local or NFS folder, an S3
 * bucket). The repository above it is written once; a backend only moves named byte strings.
 *
 * <p>What every backend guarantees (the repository's crash safety rests on it):
 * <ul>
 *   <li>{@link #put} is atomic and durable: when it returns the object survives a crash or power loss, and
 *   no reader ever sees part of it. The repository never overwrites an object with different content and
 *   never renames one, so a backend needs no rename: "write under a new name, then delete the old one" is
 *   the equivalent every caller uses.</li>
 *   <li>Read-after-write: an object is readable and listed as soon as {@code put} returns, from any process
 *   (local folders, NFS with close-to-open consistency, S3 since its strong consistency).</li>
 *   <li>{@link #delete} is idempotent: deleting an absent object succeeds.</li>
 * </ul>
 *
 * <p>Names are {@code /}-separated, made of {@code [a-z0-9./-]}, and never start with a dot.
 */
public interface Storage extends AutoCloseable {

    /** Where the objects are, for messages: a folder path or {@code s3://bucket/prefix}. */
    String location();

    /**
     * Stores the buffer's remaining bytes under {@code name}, atomically and durably. The buffer is read only
     * during the call: callers reuse it for the next object as soon as this returns or throws.
     */
    void put(String name, ByteBuffer content);

    /** The whole object. @throws ObjectNotFoundException when there is none */
    byte[] get(String name);

    /** {@code length} bytes starting at {@code offset}. @throws ObjectNotFoundException when there is none */
    byte[] getRange(String name, long offset, int length);

    /** Every object whose name starts with {@code prefix} (a folder such as {@code "data/"}), in no order. */
    List<StoredObject> list(String prefix);

    /** Removes the object if it exists. */
    void delete(String name);

    /**
     * Removes what interrupted writes left behind (temp files of a local folder). Called by prune only,
     * under the exclusive lock, when no writer can be mid-write. Answers how many objects it removed.
     */
    default int removeLeftovers() {
        return 0;
    }

    @Override
    default void close() {
    }

    /** A listed object and its size in bytes. */
    record StoredObject(String name, long size) {
    }
}
