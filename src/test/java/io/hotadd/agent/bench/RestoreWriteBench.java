package io.hotadd.agent.bench;

import io.hotadd.agent.adapters.blockdev.DirectBlockTarget;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.engine.ExtentWriter;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The restore's write stage alone: an image held in memory (standing in for the repository, so only the
 * write path is measured) → {@link ExtentWriter} (reader task ahead of the writer, aligned pooled buffers) →
 * O_DIRECT {@link DirectBlockTarget} → fdatasync. Prints one line per run:
 * {@code restore-write <bytes> <seconds> <MB/s>}. Run by bench/restore-write.sh between dd runs on the same
 * device.
 *
 * <pre>java -cp ... io.hotadd.agent.bench.RestoreWriteBench DEVICE IMAGE [buffer MiB, default 4] [runs, default 1]</pre>
 */
public final class RestoreWriteBench {
    private RestoreWriteBench() {
    }

    public static void main(String[] args) {
        Path device = Path.of(args[0]);
        ByteBuffer image = load(Path.of(args[1]));
        int bufferMiB = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        ExecutorService readers = Executors.newCachedThreadPool();
        BufferPool pool = new BufferPool(4, bufferMiB << 20);
        try {
            for (int run = 0; run < runs; run++) {
                once(device, new MemoryImage(image), new ExtentWriter(readers, pool));
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static void once(Path device, MemoryImage image, ExtentWriter writer) {
        try (DirectBlockTarget target = DirectBlockTarget.open(device)) {
            long start = System.nanoTime();
            long bytes = writer.write(image, image.dataExtents(), target, ExtentCopier.Listener.none(), false);
            target.flush();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("restore-write %d %.3f %.0f%n", bytes, seconds, bytes / 1e6 / seconds);
        }
    }

    /** The whole image file in one direct buffer, read once before timing starts. */
    private static ByteBuffer load(Path file) {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer all = ByteBuffer.allocateDirect(Math.toIntExact(in.size()));
            while (all.hasRemaining() && in.read(all) >= 0) {
                continue;
            }
            return all.flip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image " + file, e);
        }
    }

    /** A restore point's disk held in memory: one data extent, reads are copies. */
    private static final class MemoryImage implements DiskImage {
        private final ByteBuffer bytes;

        MemoryImage(ByteBuffer bytes) {
            this.bytes = bytes;
        }

        @Override
        public long capacityBytes() {
            return bytes.limit();
        }

        @Override
        public List<Extent> dataExtents() {
            return List.of(new Extent(0, bytes.limit()));
        }

        @Override
        public void read(long offset, ByteBuffer buffer) {
            int length = buffer.remaining();
            buffer.put(bytes.duplicate().position(Math.toIntExact(offset)).limit(Math.toIntExact(offset) + length));
        }

        @Override
        public void exportSparse(Path image) {
            throw new UnsupportedOperationException("the bench only writes to a device");
        }

        @Override
        public void writeTo(WritableByteChannel out) {
            throw new UnsupportedOperationException("the bench only writes to a device");
        }

        @Override
        public void close() {
        }
    }
}
