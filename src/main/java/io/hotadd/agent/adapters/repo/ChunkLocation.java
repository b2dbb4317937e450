package io.hotadd.agent.adapters.repo;

/**
 * Where a chunk's sealed blob is: in which pack, at which byte offset and length, how long it is once
 * opened, and its flags ({@link ChunkCodec#FLAG_ZSTD}).
 */
record ChunkLocation(PackId pack, int offset, int length, int rawLength, byte flags) {
}
