package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.adapters.repo.EngineDriver.DiskInput;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process {@link CrashSafetyTest} kills: backs up a disk into, or prunes, a local repository, and after
 * a given number of storage changes prints "PAUSED" and waits to be killed with SIGKILL.
 *
 * <p>Arguments: {@code write|prune <repo folder> <pause after N changes, or -1> <seed> [restore point to forget]}.
 */
public final class CrashChild {
    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int pauseAfter = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        Pausing storage = new Pausing(new LocalStorage(Path.of(args[1])), pauseAfter);
        try (TestRepos t = new TestRepos(); EngineDriver engine = new EngineDriver(t.clock)) {
            t.clock.advance(java.time.Duration.ofDays(seed));
            PackRepository repo = t.open(storage);
            if (mode.equals("write")) {
                engine.backup(repo, "vm-child-" + seed, Optional.empty(), List.of(DiskInput.full(1, disk(seed))));
            } else {
                repo.prune(PrunePlan.forget(Set.of(args[4])).withRepackBelow(0.99));
            }
        }
        System.out.println("DONE after " + storage.changes.get() + " changes");
        System.out.flush();
        System.exit(0);
    }

    /** The disk a child with {@code seed} backs up; the test computes the same to check exports. */
    static byte[] disk(long seed) {
        return TestDisks.mixed(new Random(seed), 40 * TestRepos.CHUNK + 8192);
    }

    /** Counts puts and deletes; at the Nth it announces itself and stops, leaving the rest undone. */
    private static final class Pausing implements Storage {
        private final Storage inner;
        private final int pauseAfter;
        private final AtomicInteger changes = new AtomicInteger();

        Pausing(Storage inner, int pauseAfter) {
            this.inner = inner;
            this.pauseAfter = pauseAfter;
        }

        private void change(String op, String name) {
            if (changes.incrementAndGet() == pauseAfter) {
                System.out.println("PAUSED before " + op + " " + name);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public String location() {
            return inner.location();
        }

        @Override
        public void put(String name, ByteBuffer content) {
            change("put", name);
            inner.put(name, content);
        }

        @Override
        public byte[] get(String name) {
            return inner.get(name);
        }

        @Override
        public byte[] getRange(String name, long offset, int length) {
            return inner.getRange(name, offset, length);
        }

        @Override
        public List<StoredObject> list(String prefix) {
            return inner.list(prefix);
        }

        @Override
        public void delete(String name) {
            change("delete", name);
            inner.delete(name);
        }

        @Override
        public int removeLeftovers() {
            return inner.removeLeftovers();
        }
    }
}
