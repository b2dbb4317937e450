package io.hotadd.agent.adapters.repo;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.nio.ByteBuffer;

/**
 * The {@code config} object: plaintext JSON, because it must be read before any key is known. Nothing read
 * back depends on it alone: the values a restore needs (chunk size, compression flags) are repeated inside
 * the encrypted, authenticated objects; the repository id is bound into every wrapped key.
 *
 * @param format           the format version; an agent refuses versions it does not know
 * @param id               random, names the repository in messages and binds keys to it
 * @param chunkSize        the chunk grid (power of two, 64 KiB .. 4 MiB), the sinks' block size
 * @param packSize         target size of a pack file; packs are cut at the first chunk past it
 * @param compressionLevel zstd level for new chunks (negative levels are zstd's "fast" levels)
 * @param minSavings       a chunk is stored compressed only if that saves at least this fraction
 */
public record RepoConfig(int format, String id, int chunkSize, int packSize, int compressionLevel,
                         double minSavings) {
    public static final int FORMAT = 1;
    public static final int MIN_CHUNK = 64 << 10;
    public static final int MAX_CHUNK = 4 << 20;
    public static final int DEFAULT_CHUNK = 1 << 20;
    public static final int DEFAULT_PACK = 32 << 20;
    /** zstd level 1: the fastest of the regular levels, within a few percent of level 3's ratio on disk data. */
    public static final int DEFAULT_LEVEL = 1;
    public static final double DEFAULT_MIN_SAVINGS = 0.05;

    /** Settings for a new repository (the id is filled in at init). */
    public static RepoConfig defaults() {
        return new RepoConfig(FORMAT, "", DEFAULT_CHUNK, DEFAULT_PACK, DEFAULT_LEVEL, DEFAULT_MIN_SAVINGS);
    }

    public RepoConfig withChunkSize(int bytes) {
        return new RepoConfig(format, id, bytes, packSize, compressionLevel, minSavings);
    }

    public RepoConfig withPackSize(int bytes) {
        return new RepoConfig(format, id, chunkSize, bytes, compressionLevel, minSavings);
    }

    public RepoConfig withCompression(int level, double savings) {
        return new RepoConfig(format, id, chunkSize, packSize, level, savings);
    }

    RepoConfig withId(String newId) {
        return new RepoConfig(format, newId, chunkSize, packSize, compressionLevel, minSavings);
    }

    /** @throws RepositoryFormatException naming the setting and its allowed range */
    @JsonIgnore
    RepoConfig validated(String where) {
        if (format != FORMAT) {
            throw new RepositoryFormatException("the repository in " + where + " has format version " + format
                    + "; this agent reads format version " + FORMAT + " only: use an agent release that knows it");
        }
        if (Integer.bitCount(chunkSize) != 1 || chunkSize < MIN_CHUNK || chunkSize > MAX_CHUNK) {
            throw new RepositoryFormatException("chunk size " + chunkSize + " of " + where + " must be a power of two"
                    + " from " + MIN_CHUNK + " to " + MAX_CHUNK);
        }
        if (packSize < chunkSize || packSize > (1 << 30)) {
            throw new RepositoryFormatException("pack size " + packSize + " of " + where + " must be at least the"
                    + " chunk size " + chunkSize + " and at most 1 GiB");
        }
        if (compressionLevel < -7 || compressionLevel > 19 || minSavings < 0 || minSavings >= 1) {
            throw new RepositoryFormatException("compression level " + compressionLevel + " (allowed -7..19) or"
                    + " minimum savings " + minSavings + " (allowed 0..1) of " + where + " out of range");
        }
        return this;
    }

    static RepoConfig load(Storage storage) {
        byte[] json;
        try {
            json = storage.get(RepoLayout.CONFIG);
        } catch (ObjectNotFoundException e) {
            throw new RepositoryFormatException("no repository in " + storage.location() + " (no config object);"
                    + " initialise one there first or check the location");
        }
        return RepoJson.read(json, RepoConfig.class, "config of " + storage.location())
                .validated(storage.location());
    }

    void store(Storage storage) {
        storage.put(RepoLayout.CONFIG, ByteBuffer.wrap(RepoJson.write(this)));
    }
}
