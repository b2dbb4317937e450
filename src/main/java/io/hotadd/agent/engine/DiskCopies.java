package io.hotadd.agent.engine;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/** Waits for the per-disk copies of one job (backup reads, restore writes) and adds up their bytes. */
final class DiskCopies {

    private DiskCopies() {
    }

    /**
     * Bytes copied by all of {@code running}; the first failure is thrown once every copy has ended, so
     * no disk is still being read or written when the job goes on to release them. {@code doing} names the
     * work in errors, e.g. "reading".
     */
    static long sum(List<Future<Long>> running, AtomicBoolean stop, String doing) {
        long total = 0;
        RuntimeException first = null;
        for (Future<Long> f : running) {
            try {
                total += f.get();
            } catch (ExecutionException e) {
                first = first != null ? first : asRuntime(e.getCause(), doing);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.set(true);
                first = first != null ? first : new CopyCancelled("interrupted while " + doing + " disks");
            }
        }
        if (first != null) {
            throw first;
        }
        return total;
    }

    private static RuntimeException asRuntime(Throwable t, String doing) {
        return t instanceof RuntimeException r ? r : new IllegalStateException(doing + " a disk failed: " + t, t);
    }
}
