package io.hotadd.agent.boot;

import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.CleanupEvents;
import io.hotadd.agent.port.CleanupObserver;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Where recovery and the orphan sweep report their actions: counted in {@code hotadd.cleanup.actions}
 * (tags origin, kind, outcome), and, when carried out or failed (not in a dry run), posted as an event on
 * the VM concerned through {@link CleanupEvents} (vCenter visibility). The engine logs each action itself.
 */
@Singleton
public class CleanupActionsReporter implements CleanupObserver {
    private final MeterRegistry registry;
    private final CleanupEvents events;

    CleanupActionsReporter(MeterRegistry registry, CleanupEvents events) {
        this.registry = registry;
        this.events = events;
    }

    @Override
    public void action(CleanupAction a) {
        registry.counter("hotadd.cleanup.actions", "origin", a.origin(), "kind", a.kind(),
                "outcome", a.outcome().name()).increment();
        if (a.vmMoref() != null && (a.outcome() == CleanupAction.Outcome.DONE
                || a.outcome() == CleanupAction.Outcome.FAILED)) {
            String what = "Recovery (" + a.origin() + "): " + a.detail()
                    + (a.outcome() == CleanupAction.Outcome.DONE ? "" : " FAILED: " + a.error());
            events.cleanupAction(new VmRef(a.vmMoref()), a.jobId() == null ? "unknown" : a.jobId(), what);
        }
    }
}
