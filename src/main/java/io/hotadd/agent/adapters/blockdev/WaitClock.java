package io.hotadd.agent.adapters.blockdev;

import java.time.Duration;

/**
 * Monotonic time and sleeping, injected so tests of timeouts run in virtual time instead of waiting for
 * real. Deadlines use {@link #nanoTime()}: a wall clock that NTP moves would stretch or cut a wait.
 */
public interface WaitClock {

    /** Monotonic nanoseconds, meaningful only as differences (like {@link System#nanoTime()}). */
    long nanoTime();

    /** Blocks for about {@code duration}. */
    void sleep(Duration duration) throws InterruptedException;

    /** The real clock. */
    static WaitClock system() {
        return SystemClock.INSTANCE;
    }

    /** The JVM's clock and {@link Thread#sleep}. */
    enum SystemClock implements WaitClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        }
    }
}
