package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.SkippedXmlCounter;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.engine.SlotAllocator;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.JobMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * The agent's Prometheus metrics (on the management port, /q/metrics): jobs by state, bytes read and
 * stored, vCenter SOAP calls, cleanup steps and incomplete cleanups, SCSI slots in use. Job-level counters
 * are fed by the engine through {@link JobMetrics}; gauges read the engine when scraped.
 */
@Singleton
public class AgentMetrics implements JobMetrics {
    private final MeterRegistry registry;
    private final Counter bytesRead;
    private final Counter bytesStored;
    private final Counter cleanupsIncomplete;

    AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesRead = Counter.builder("hotadd.read").baseUnit("bytes")
                .description("Bytes read from hot-added disks").register(registry);
        this.bytesStored = Counter.builder("hotadd.stored").baseUnit("bytes")
                .description("Bytes new restore points added to the repository, after deduplication").register(registry);
        this.cleanupsIncomplete = Counter.builder("hotadd.cleanups.incomplete")
                .description("Failed jobs that left cleanup steps undone in vCenter or on the proxy").register(registry);
    }

    /** Gauges over the engine's live state; bound once the engine exists (it takes these metrics itself). */
    void bind(JobEngine engine, SlotAllocator slots, VcenterCalls vcenter) {
        for (JobState state : JobState.values()) {
            Gauge.builder("hotadd.jobs", engine, e -> e.countByState().get(state)).tag("state", state.name())
                    .description("Jobs the agent holds, by state").register(registry);
        }
        Gauge.builder("hotadd.slots.in.use", slots, s -> s.reserved().size())
                .description("SCSI slots on the proxy reserved by running jobs").register(registry);
        FunctionCounter.builder("hotadd.vcenter.soap.calls", vcenter, VcenterCalls::soapRoundTrips)
                .description("SOAP round trips to vCenter").register(registry);
        for (SkippedXmlCounter.Kind kind : SkippedXmlCounter.Kind.values()) {
            FunctionCounter.builder("hotadd.vcenter.xml.skipped", vcenter, v -> v.skippedXml(kind))
                    .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                    .description("vCenter response parts the agent's model does not know, skipped").register(registry);
        }
    }

    @Override
    public void bytesRead(long bytes) {
        bytesRead.increment(bytes);
    }

    @Override
    public void bytesStored(long bytes) {
        bytesStored.increment(bytes);
    }

    @Override
    public void cleanupStep(JobPhase phase) {
        registry.counter("hotadd.cleanup.steps", "phase", phase.name()).increment();
    }

    @Override
    public void cleanupIncomplete(Job job) {
        cleanupsIncomplete.increment();
    }

    @Override
    public void jobEnded(Job job) {
        registry.counter("hotadd.jobs.ended", "type", job.type().name(), "state", job.state().name(),
                "failure", job.failure() == null ? "none" : job.failure().type()).increment();
    }
}
