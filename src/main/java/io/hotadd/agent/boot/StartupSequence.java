package io.hotadd.agent.boot;

import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.SlotAllocator;
import io.hotadd.agent.engine.jobs.CallbackDelivery;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * What the agent does when it starts and stops (after {@link ConfigGate}). Start: log the API certificate's
 * fingerprint, settle the jobs a previous run left unfinished, then in the background recover what they
 * left in vCenter ({@link StartupRecovery}), open the startup gate, probe vCenter and the repository, and
 * from then on retry, every {@code hotadd.jobs.cleanup-retry-interval}, what a job's own cleanup left.
 * Stop: ask running jobs to cancel, and give them time to clean up what they created in vCenter.
 */
@ApplicationScoped
public class StartupSequence {
    private static final java.time.Duration FIRST_ATTEMPT_WAIT = java.time.Duration.ofSeconds(10);

    private static final Logger LOG = Logger.getLogger(StartupSequence.class);

    private final AgentConfig config;
    private final Config rawConfig;
    private final JobEngine engine;
    private final Readiness readiness;
    private final ReadinessProbe probe;
    private final AgentMetrics metrics;
    private final SlotAllocator slots;
    private final VcenterCalls vcenterCalls;
    private final CallbackDelivery callbacks;
    private final AgentExecutors threads;
    private final StartupRecovery recovery;

    StartupSequence(AgentConfig config, Config rawConfig, JobEngine engine, Readiness readiness, ReadinessProbe probe,
                    AgentMetrics metrics, SlotAllocator slots, VcenterCalls vcenterCalls, CallbackDelivery callbacks,
                    AgentExecutors threads, StartupRecovery recovery) {
        this.config = config;
        this.rawConfig = rawConfig;
        this.engine = engine;
        this.readiness = readiness;
        this.probe = probe;
        this.metrics = metrics;
        this.slots = slots;
        this.vcenterCalls = vcenterCalls;
        this.callbacks = callbacks;
        this.threads = threads;
        this.recovery = recovery;
    }

    void start(@Observes StartupEvent event) {
        logApiCertificate();
        metrics.bind(engine, slots, vcenterCalls);
        engine.listenToAll(callbacks); // before recovery: jobs it settles are reported to their callbacks too
        int settled = engine.recover();
        String history = settled == 0 ? "job history loaded"
                : "job history loaded; " + settled + " job(s) left unfinished by the previous run marked FAILED";
        if (settled > 0) {
            LOG.warnf("%d job(s) were unfinished when the agent last stopped; they are marked FAILED", settled);
        }
        java.util.concurrent.CountDownLatch firstAttempt = new java.util.concurrent.CountDownLatch(1);
        threads.startup.execute(() -> {
            boolean done = recovery.attempt(history, StartupRecovery.firstPause());
            firstAttempt.countDown();
            if (done || recovery.runUntilDone(history)) {
                long every = config.jobs().cleanupRetryInterval().toMillis();
                threads.cleanupRetry.scheduleWithFixedDelay(recovery::retryLeftovers, every, every,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
                probe.probeAll();
            }
        });
        awaitBriefly(firstAttempt);
    }

    /**
     * Gives the first recovery attempt a few seconds, so an agent whose vCenter answers is ready as soon as
     * it is live; but never holds the HTTP server back longer: with vCenter unreachable (DNS, firewall, a slow
     * emulated boot) liveness must still answer, and readiness says why the agent is not ready yet.
     */
    private static void awaitBriefly(java.util.concurrent.CountDownLatch firstAttempt) {
        try {
            firstAttempt.await(FIRST_ATTEMPT_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void logApiCertificate() {
        if (!config.api().tls().enabled()) {
            LOG.warn("TLS is off on the API port (hotadd.api.tls.enabled=false): tokens travel in clear text");
            return;
        }
        String prefix = "quarkus.tls." + ApiTlsConfigSourceFactory.TLS_NAME + ".key-store.p12.";
        Path store = Path.of(rawConfig.getValue(prefix + "path", String.class));
        String password = rawConfig.getOptionalValue(prefix + "password", String.class).orElse("");
        LOG.infof("API TLS certificate %s, SHA-256 fingerprint %s", store,
                SelfSignedCertificate.sha256Fingerprint(store, password));
    }

    void stop(@Observes ShutdownEvent event) {
        Duration grace = config.jobs().shutdownGrace();
        if (engine.runningJobs() + engine.queuedJobs() == 0) {
            return;
        }
        LOG.infof("Stopping: cancelling %d running and %d queued job(s); waiting up to %s for their cleanup",
                engine.runningJobs(), engine.queuedJobs(), grace);
        engine.cancelAll();
        long deadline = System.nanoTime() + grace.toNanos();
        while (engine.runningJobs() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (engine.runningJobs() > 0) {
            LOG.warnf("%d job(s) did not finish their cleanup before the agent stopped; they will be marked FAILED "
                    + "at the next start", engine.runningJobs());
        }
    }
}
