package io.hotadd.agent.adapters.vsphere;

import java.time.Clock;
import java.util.Objects;

/**
 * How the vSphere adapter behaves beyond the session: task deadlines, who hears task progress, and the
 * clocks (injected so timeout tests run in virtual time).
 *
 * @param wallClock for timestamps sent to vCenter (the extension's heartbeat time)
 */
public record VSphereAdapterOptions(TaskDeadlines deadlines, TaskProgressListener progress, DeadlineClock clock,
                                    Clock wallClock) {

    public VSphereAdapterOptions {
        Objects.requireNonNull(deadlines, "deadlines");
        Objects.requireNonNull(progress, "progress");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(wallClock, "wallClock");
    }

    public static VSphereAdapterOptions defaults() {
        return new VSphereAdapterOptions(TaskDeadlines.defaults(), TaskProgressListener.NONE, DeadlineClock.system(),
                Clock.systemUTC());
    }

    public VSphereAdapterOptions withDeadlines(TaskDeadlines value) {
        return new VSphereAdapterOptions(value, progress, clock, wallClock);
    }

    public VSphereAdapterOptions withProgress(TaskProgressListener value) {
        return new VSphereAdapterOptions(deadlines, value, clock, wallClock);
    }

    public VSphereAdapterOptions withClock(DeadlineClock value) {
        return new VSphereAdapterOptions(deadlines, progress, value, wallClock);
    }
}
