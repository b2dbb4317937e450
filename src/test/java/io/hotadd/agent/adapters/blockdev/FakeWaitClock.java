package io.hotadd.agent.adapters.blockdev;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Virtual time: {@link #sleep} returns at once and moves the clock forward, then runs the hooks, which play
 * whatever "happens meanwhile" (a disk appearing, the guest reacting). Timeout tests take no real time.
 */
final class FakeWaitClock implements WaitClock {

    private volatile long now = 1_000_000_000L; // not zero: code must only use differences
    private final List<Runnable> onSleep = new ArrayList<>();
    private int sleeps;

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public void sleep(Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new AssertionError("asked to sleep " + duration + "; the waiting loop miscomputed its deadline");
        }
        now += duration.toNanos();
        sleeps++;
        onSleep.forEach(Runnable::run);
    }

    /** Runs {@code hook} after every sleep, in the sleeping thread. */
    FakeWaitClock onEverySleep(Runnable hook) {
        onSleep.add(hook);
        return this;
    }

    int sleeps() {
        return sleeps;
    }

    /** Time passed since this clock was made. */
    Duration elapsed() {
        return Duration.ofNanos(now - 1_000_000_000L);
    }
}
