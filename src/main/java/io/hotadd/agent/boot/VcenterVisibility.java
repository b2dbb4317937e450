package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.journal.FileOpenTasks;
import io.hotadd.agent.engine.ProxyIdentity;
import io.hotadd.agent.engine.jobs.JobAlreadyFinished;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.JobNotFound;
import io.hotadd.agent.engine.vcenter.VcenterJobTasks;
import io.hotadd.agent.engine.vcenter.VcenterPresence;
import io.hotadd.agent.engine.vcenter.VisibilitySettings;
import io.hotadd.agent.port.CleanupEvents;
import io.hotadd.agent.port.VcenterActivity;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the agent's vCenter visibility (hotadd.visibility.*): the job tasks and events listen to the job
 * engine from before it settles the previous run's jobs (their end is shown too), cancels asked in vCenter
 * are polled, and the extension and the appliance's managedBy are set up in the background until vCenter
 * takes them. Failed vCenter calls are counted in {@code hotadd.vcenter.visibility.failures}.
 */
@Singleton
public class VcenterVisibility {
    private final ExecutorService calls = Executors.newSingleThreadExecutor(daemon("hotadd-vcenter-activity"));
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            daemon("hotadd-vcenter-poll"));
    private final AgentConfig.Visibility config;
    private final VcenterJobTasks tasks;
    private final VcenterPresence presence;

    VcenterVisibility(AgentConfig agent, VcenterActivity vcenter, ProxyIdentity identity, Clock clock,
                      MeterRegistry registry, @ConfigProperty(name = "quarkus.application.version",
                      defaultValue = "dev") String version) {
        this.config = agent.visibility();
        VisibilitySettings settings = new VisibilitySettings(config.extensionKey(), version, "hotadd-agent",
                config.attribute(), config.progressInterval(), config.progressStep(), config.cancelPoll());
        VcenterJobTasks.Failures failures = call -> registry.counter("hotadd.vcenter.visibility.failures",
                "call", call).increment();
        this.tasks = new VcenterJobTasks(vcenter, settings, calls, clock, failures,
                new FileOpenTasks(agent.stateDir().resolve("vcenter-tasks")));
        this.presence = new VcenterPresence(vcenter, settings, () -> identity.resolve().ref(), failures);
    }

    /** After the configuration gate, before {@link StartupSequence} settles the previous run's jobs. */
    void start(@Observes @Priority(Interceptor.Priority.APPLICATION) StartupEvent event, JobEngine engine,
               AgentConfig agent) {
        if (!config.enabled()) {
            return;
        }
        engine.listenToAll(tasks);
        tasks.cancelJobsWith(id -> {
            try {
                engine.cancel(id);
            } catch (JobAlreadyFinished | JobNotFound ended) {
                // it ended on its own meanwhile
            }
        });
        long poll = config.cancelPoll().toMillis();
        timer.scheduleWithFixedDelay(tasks::pollCancels, poll, poll, TimeUnit.MILLISECONDS);
        long retry = agent.health().probeInterval().toMillis();
        timer.scheduleWithFixedDelay(presence::ensure, 0, retry, TimeUnit.MILLISECONDS);
    }

    /** The cleanup and recovery code's way to tell administrators what it took back. */
    @Produces
    @Singleton
    CleanupEvents cleanupEvents() {
        return config.enabled() ? tasks : CleanupEvents.NONE;
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        calls.shutdown();
        try {
            calls.awaitTermination(5, TimeUnit.SECONDS); // the last task and event updates of stopped jobs
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
