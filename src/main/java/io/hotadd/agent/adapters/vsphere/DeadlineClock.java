package io.hotadd.agent.adapters.vsphere;

/**
 * Monotonic time for deadlines of vCenter tasks, injected so timeout tests run in virtual time. The waiting
 * itself happens in vCenter (WaitForUpdatesEx), so the clock only has to tell the time; a wall clock that
 * NTP moves would stretch or cut a wait, hence nanoseconds that are only meaningful as differences.
 */
@FunctionalInterface
public interface DeadlineClock {

    /** Monotonic nanoseconds, like {@link System#nanoTime()}. */
    long nanoTime();

    static DeadlineClock system() {
        return System::nanoTime;
    }
}
