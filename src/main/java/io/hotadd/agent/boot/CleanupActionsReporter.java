package io.hotadd.agent.boot;

import io.hotadd.agent.domain.CleanupAction;
import io.hotadd.agent.port.CleanupObserver;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Where recovery and the orphan sweep report their actions: counted in {@code hotadd.cleanup.actions}
 * (tags origin, kind, outcome). The engine logs each action itself; posting them to vCenter as events
 * belongs here too, once the agent has its vCenter event reporter.
 */
@Singleton
public class CleanupActionsReporter implements CleanupObserver {
    private final MeterRegistry registry;

    CleanupActionsReporter(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void action(CleanupAction a) {
        registry.counter("hotadd.cleanup.actions", "origin", a.origin(), "kind", a.kind(),
                "outcome", a.outcome().name()).increment();
    }
}
