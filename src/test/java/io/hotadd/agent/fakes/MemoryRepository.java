package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BlockSink;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory repository for engine tests: each disk is a map from block offset to bytes; holes are absent.
 * Same visibility rule as the real one: nothing shows until commit.
 */
public final class MemoryRepository implements BackupRepository {
    private final int blockSize;
    private final List<RestorePoint> committed = new ArrayList<>();
    private final Map<String, Map<Integer, Image>> images = new ConcurrentHashMap<>();
    private final Map<String, byte[]> configs = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    /** A disk image: block offset → data. */
    record Image(long capacity, TreeMap<Long, byte[]> blocks) {
    }

    public MemoryRepository(int blockSize) {
        this.blockSize = blockSize;
    }

    @Override
    public RestorePointWriter begin(NewRestorePoint spec) {
        return new Writer(spec);
    }

    @Override
    public synchronized List<RestorePoint> list(Optional<String> vmKey) {
        return committed.stream().filter(r -> vmKey.map(r.vmKey()::equals).orElse(true))
                .sorted(Comparator.comparing(RestorePoint::committedAt).reversed()).toList();
    }

    @Override
    public synchronized Optional<RestorePoint> find(String id) {
        return committed.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The whole disk as bytes, holes as zeros: what a restore would write. */
    public byte[] imageBytes(String restorePointId, int diskKey) {
        Image img = images.get(restorePointId).get(diskKey);
        byte[] out = new byte[Math.toIntExact(img.capacity())];
        img.blocks().forEach((off, data) -> System.arraycopy(data, 0, out, Math.toIntExact(off), data.length));
        return out;
    }

    @Override
    public DiskImage openDisk(String restorePointId, int diskKey) {
        byte[] bytes = imageBytes(restorePointId, diskKey);
        Image img = images.get(restorePointId).get(diskKey);
        return new DiskImage() {
            public long capacityBytes() {
                return bytes.length;
            }

            public List<Extent> dataExtents() {
                return Extents.normalize(img.blocks().entrySet().stream()
                        .map(e -> new Extent(e.getKey(), e.getValue().length)).toList());
            }

            public void read(long offset, ByteBuffer buffer) {
                buffer.put(bytes, Math.toIntExact(offset), buffer.remaining());
            }

            public void exportSparse(Path image) {
                try {
                    java.nio.file.Files.write(image, bytes);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            public void writeTo(java.nio.channels.WritableByteChannel out) {
                try {
                    ByteBuffer all = ByteBuffer.wrap(bytes);
                    while (all.hasRemaining()) {
                        out.write(all);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }

            public void close() {
            }
        };
    }

    @Override
    public Optional<byte[]> vmConfig(String restorePointId) {
        return Optional.ofNullable(configs.get(restorePointId)).map(byte[]::clone);
    }

    private final class Writer implements RestorePointWriter {
        private final NewRestorePoint spec;
        private final String id = "rp-" + ids.incrementAndGet();
        private final Map<Integer, Image> disks = new ConcurrentHashMap<>();
        private final Map<Integer, DiskSummary> summaries = new ConcurrentHashMap<>();
        private volatile byte[] config;
        private boolean done;

        Writer(NewRestorePoint spec) {
            this.spec = spec;
        }

        @Override
        public BlockSink disk(NewDisk d) {
            TreeMap<Long, byte[]> start = new TreeMap<>();
            if (d.startFromParent()) {
                spec.parent().map(images::get).map(m -> m.get(d.key())).ifPresent(p -> start.putAll(p.blocks()));
            }
            return new Sink(d, new Image(d.capacityBytes(), start));
        }

        @Override
        public void vmConfig(byte[] config) {
            this.config = config.clone();
        }

        @Override
        public synchronized RestorePoint commit() {
            done = true;
            images.put(id, Map.copyOf(disks));
            if (config != null) {
                configs.put(id, config);
            }
            RestorePoint rp = new RestorePoint(id, spec.vmKey(), spec.vmName(), spec.jobId(), spec.parent(),
                    spec.startedAt(), Instant.now().plusNanos(ids.get()), List.copyOf(summaries.values()));
            synchronized (MemoryRepository.this) {
                committed.add(rp);
            }
            return rp;
        }

        @Override
        public synchronized void abort() {
            done = true;
        }

        @Override
        public void close() {
            if (!done) {
                abort();
            }
        }

        private final class Sink implements BlockSink {
            private final NewDisk disk;
            private final Image image;
            private long newBytes;

            Sink(NewDisk disk, Image image) {
                this.disk = disk;
                this.image = image;
            }

            public int blockSize() {
                return blockSize;
            }

            public synchronized void data(long offset, ByteBuffer data) {
                for (long off = offset; data.hasRemaining(); off += blockSize) {
                    byte[] b = new byte[Math.min(blockSize, data.remaining())];
                    data.get(b);
                    image.blocks().put(off, b);
                    newBytes += b.length;
                }
            }

            public synchronized void zeros(long offset, long length) {
                image.blocks().subMap(offset, offset + length).clear();
            }

            public void commit() {
                disks.put(disk.key(), image);
                long stored = image.blocks().values().stream().mapToLong(b -> b.length).sum();
                summaries.put(disk.key(), new DiskSummary(disk.key(), disk.label(), disk.uuid(), disk.capacityBytes(),
                        disk.changeId(), stored, newBytes));
            }

            public void abort() {
            }

            public void close() {
            }
        }
    }

    static boolean allZero(byte[] b) {
        return Arrays.equals(b, new byte[b.length]);
    }
}
