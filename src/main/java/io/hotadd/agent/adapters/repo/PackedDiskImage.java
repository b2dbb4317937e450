package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A disk of a restore point, read through its map. Every chunk is authenticated, decompressed and
 * re-hashed before a byte of it is handed out; damaged or missing data fails with an error naming the
 * restore point, disk, offset and chunk. Holds a shared lock so prune cannot remove chunks mid-read.
 */
final class PackedDiskImage implements DiskImage {
    private final RepoContext repo;
    private final PointRecord point;
    private final PointRecord.DiskRecord disk;
    private final DiskMap map;
    private final RepositoryLock lock;
    private long cachedPosition = -1;
    private byte[] cachedChunk;

    PackedDiskImage(RepoContext repo, PointRecord point, PointRecord.DiskRecord disk, DiskMap map,
                    RepositoryLock lock) {
        this.repo = repo;
        this.point = point;
        this.disk = disk;
        this.map = map;
        this.lock = lock;
    }

    @Override
    public long capacityBytes() {
        return disk.capacityBytes();
    }

    @Override
    public List<Extent> dataExtents() {
        List<Extent> out = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (long position : map.chunks().keySet()) {
            long off = position * map.chunkSize();
            if (off != end) {
                if (start >= 0) {
                    out.add(Extent.ofRange(start, end));
                }
                start = off;
            }
            end = off + map.lengthAt(position);
        }
        if (start >= 0) {
            out.add(Extent.ofRange(start, end));
        }
        return out;
    }

    @Override
    public synchronized void read(long offset, ByteBuffer buffer) {
        if (offset < 0 || offset + buffer.remaining() > capacityBytes()) {
            throw new IllegalArgumentException("read of " + buffer.remaining() + " bytes at " + offset + " is outside"
                    + " disk " + disk.key() + " of " + capacityBytes() + " bytes");
        }
        Map<Long, byte[]> decoded = decode(offset, buffer.remaining());
        long pos = offset;
        while (buffer.hasRemaining()) {
            long position = pos / map.chunkSize();
            int within = (int) (pos - position * map.chunkSize());
            int n = Math.min(buffer.remaining(), map.lengthAt(position) - within);
            byte[] data = position == cachedPosition ? cachedChunk : decoded.get(position);
            if (data != null) {
                buffer.put(data, within, n);
                cachedChunk = data;
                cachedPosition = position;
            } else {
                buffer.put(new byte[n]);
            }
            pos += n;
        }
    }

    /**
     * The stored chunks a read covers (except the cached one), decoded on the repository's workers when there
     * are several: a restore reads megabytes at a time, and authenticating, decompressing and re-hashing its
     * chunks one after another on the reading thread would bound it to one core.
     */
    private Map<Long, byte[]> decode(long offset, int length) {
        Map<Long, byte[]> decoded = new java.util.HashMap<>();
        List<Long> positions = new ArrayList<>();
        for (long p = offset / map.chunkSize(); length > 0 && p <= (offset + length - 1) / map.chunkSize(); p++) {
            if (p != cachedPosition && map.chunks().containsKey(p)) {
                positions.add(p);
            }
        }
        if (positions.size() == 1) {
            decoded.put(positions.get(0), chunk(positions.get(0)));
            return decoded;
        }
        List<CompletableFuture<byte[]>> running = positions.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> chunk(p), repo.env().workers())).toList();
        for (int i = 0; i < positions.size(); i++) {
            try {
                decoded.put(positions.get(i), running.get(i).join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return decoded;
    }

    /** Fetches, authenticates, decompresses and re-hashes the chunk at a grid position. */
    byte[] chunk(long position) {
        ChunkId id = map.chunks().get(position);
        ChunkLocation at = repo.index().find(id);
        long offset = position * map.chunkSize();
        if (at == null) {
            throw damaged(offset, id, "is missing from the repository index", null);
        }
        try {
            byte[] blob = repo.storage().getRange(at.pack().objectName(), at.offset(), at.length());
            return repo.codec().decode(id, at, blob, 0);
        } catch (ObjectNotFoundException e) {
            throw damaged(offset, id, "is in pack " + at.pack() + ", which is missing", e);
        } catch (RepositoryCorruptException e) {
            throw damaged(offset, id, "is damaged: " + e.getMessage(), e);
        }
    }

    private RepositoryCorruptException damaged(long offset, ChunkId id, String what, Exception cause) {
        return new RepositoryCorruptException("restore point " + point.id() + " (VM " + point.vmName() + "), disk "
                + disk.key() + " (" + disk.label() + "), offset " + offset + ": chunk " + id + " " + what
                + "; nothing from it was returned. Run verify to list every affected restore point", cause);
    }

    @Override
    public void exportSparse(Path image) {
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(image.toFile(), "rw")) {
            // ftruncate to the full size: every range not written below stays a hole
            file.setLength(0);
            file.setLength(capacityBytes());
            FileChannel out = file.getChannel();
            forEachChunkInOrder((position, data) -> writeFully(out, ByteBuffer.wrap(data), position * map.chunkSize()));
            out.force(true);
        } catch (IOException e) {
            throw LocalStorage.failure(image, "export restore point " + point.id() + " disk " + disk.key() + " to", e);
        }
    }

    @Override
    public void writeTo(WritableByteChannel out) {
        long[] written = {0};
        try {
            forEachChunkInOrder((position, data) -> {
                writeZeros(out, position * map.chunkSize() - written[0]);
                writeFully(out, ByteBuffer.wrap(data), -1);
                written[0] = position * map.chunkSize() + data.length;
            });
            writeZeros(out, capacityBytes() - written[0]);
        } catch (IOException e) {
            throw new StorageException("stream", "writing restore point " + point.id() + " disk " + disk.key()
                    + " to the stream failed: " + e, true, e);
        }
    }

    private interface ChunkConsumer {
        void accept(long position, byte[] data) throws IOException;
    }

    /** Decodes chunks on the workers, a bounded window ahead, and hands them over in disk order. */
    private void forEachChunkInOrder(ChunkConsumer consumer) throws IOException {
        Deque<Map.Entry<Long, CompletableFuture<byte[]>>> window = new ArrayDeque<>();
        int ahead = 2 * repo.env().parallelism();
        for (long position : map.chunks().keySet()) {
            window.add(Map.entry(position, CompletableFuture.supplyAsync(() -> chunk(position), repo.env().workers())));
            if (window.size() > ahead) {
                handOver(window.poll(), consumer);
            }
        }
        while (!window.isEmpty()) {
            handOver(window.poll(), consumer);
        }
    }

    private static void handOver(Map.Entry<Long, CompletableFuture<byte[]>> next, ChunkConsumer consumer)
            throws IOException {
        byte[] data;
        try {
            data = next.getValue().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        consumer.accept(next.getKey(), data);
    }

    private static void writeFully(WritableByteChannel out, ByteBuffer data, long position) throws IOException {
        while (data.hasRemaining()) {
            if (position >= 0) {
                position += ((FileChannel) out).write(data, position);
            } else {
                out.write(data);
            }
        }
    }

    private static void writeZeros(WritableByteChannel out, long length) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        for (long left = length; left > 0; left -= zeros.capacity()) {
            writeFully(out, zeros.clear().limit((int) Math.min(left, zeros.capacity())), -1);
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
