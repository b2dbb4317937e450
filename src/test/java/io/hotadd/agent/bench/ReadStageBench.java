package io.hotadd.agent.bench;

import io.hotadd.agent.adapters.blockdev.DirectBlockSource;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.port.BlockSink;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine's read stage alone: O_DIRECT {@link DirectBlockSource} → {@link ExtentCopier} (reader ahead of
 * the consumer, zero-block detection) → a sink that drops the data. Prints one line per run:
 * {@code read-stage <bytes> <seconds> <MB/s>}. Run by bench/read-stage.sh between dd runs on the same device.
 *
 * <pre>java -cp ... io.hotadd.agent.bench.ReadStageBench DEVICE [buffer MiB, default 4] [runs, default 1]</pre>
 */
public final class ReadStageBench {
    private ReadStageBench() {
    }

    public static void main(String[] args) {
        Path device = Path.of(args[0]);
        int bufferMiB = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        ExecutorService readers = Executors.newCachedThreadPool();
        BufferPool pool = new BufferPool(4, bufferMiB << 20);
        try {
            for (int run = 0; run < runs; run++) {
                once(device, new ExtentCopier(readers, pool));
            }
        } finally {
            readers.shutdownNow();
        }
    }

    private static void once(Path device, ExtentCopier copier) {
        try (DirectBlockSource source = DirectBlockSource.open(device)) {
            long start = System.nanoTime();
            long bytes = copier.copy(source, List.of(new Extent(0, source.size())), new DiscardingSink(),
                    ExtentCopier.Listener.none());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("read-stage %d %.3f %.0f%n", bytes, seconds, bytes / 1e6 / seconds);
        }
    }

    /** Takes every block and keeps nothing, so only reading and zero detection are measured. */
    private static final class DiscardingSink implements BlockSink {
        private long sum;

        @Override
        public int blockSize() {
            return 1 << 20;
        }

        @Override
        public void data(long diskOffset, ByteBuffer data) {
            sum += data.get(data.position()); // touch the data so the JIT cannot drop the read
        }

        @Override
        public void zeros(long diskOffset, long length) {
        }

        @Override
        public void commit() {
        }

        @Override
        public void abort() {
        }

        @Override
        public void close() {
            if (sum == 42) {
                System.out.print("");
            }
        }
    }
}
