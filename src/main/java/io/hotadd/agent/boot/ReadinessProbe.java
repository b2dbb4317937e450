package io.hotadd.agent.boot;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.ProxyIdentity;
import io.hotadd.agent.engine.ProxySetupException;
import io.hotadd.agent.engine.ProxyView;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.Readiness.Condition;
import io.hotadd.agent.port.RepositoryMaintenance;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Checks, at start and then every {@code hotadd.health.probe-interval}, what a backup needs from outside
 * the agent: a working vCenter session (the proxy VM is found through it), the proxy's controller layout
 * (missing spares are rebuilt here, before a job needs them), and a writable repository. The results feed
 * {@link Readiness}, which /q/health/ready reports.
 */
@ApplicationScoped
public class ReadinessProbe {
    private static final Logger LOG = Logger.getLogger(ReadinessProbe.class);

    private final Readiness readiness;
    private final ProxyIdentity identity;
    private final BackupWorkflow workflow;
    private final RepositoryMaintenance repository;

    ReadinessProbe(Readiness readiness, ProxyIdentity identity, BackupWorkflow workflow,
                   RepositoryMaintenance repository) {
        this.readiness = readiness;
        this.identity = identity;
        this.workflow = workflow;
        this.repository = repository;
    }

    @Scheduled(every = "${hotadd.health.probe-interval:60s}", delayed = "${hotadd.health.probe-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void probeAll() {
        if (probeVcenter()) {
            probeProxyLayout();
        }
        probeRepository();
    }

    /** Answers whether the proxy VM was found, i.e. whether its layout can be checked next. */
    private boolean probeVcenter() {
        try {
            VmInfo proxy = identity.resolve();
            set(Condition.VCENTER_SESSION, true, "proxy VM '" + proxy.name() + "' (" + proxy.ref() + ") found through "
                    + "vCenter");
            return true;
        } catch (ProxySetupException e) {
            // the proxy VM could not be identified: vCenter may be fine, but nothing of it could be used
            set(Condition.VCENTER_SESSION, false, "not usable until the proxy VM is identified (see proxy-layout)");
            set(Condition.PROXY_LAYOUT, false, e.getMessage());
        } catch (RuntimeException e) { // a probe reports whatever went wrong, typed or not
            set(Condition.VCENTER_SESSION, false, reason(e));
            set(Condition.PROXY_LAYOUT, false, "not checked: vCenter is not reachable");
        }
        return false;
    }

    private void probeProxyLayout() {
        try {
            ProxyView view = workflow.ensureProxyLayout();
            set(Condition.PROXY_LAYOUT, true, "SCSI controllers at buses " + view.scsiByBus().keySet());
        } catch (RuntimeException e) {
            set(Condition.PROXY_LAYOUT, false, reason(e));
        }
    }

    private void probeRepository() {
        try {
            RepositoryMaintenance.Status s = repository.status();
            set(Condition.REPOSITORY_WRITABLE, s.writable(), s.location() + ": " + s.detail());
        } catch (RuntimeException e) {
            set(Condition.REPOSITORY_WRITABLE, false, reason(e));
        }
    }

    /** The message of what failed, without the container's wrapping of a bean that could not be created. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t instanceof jakarta.enterprise.inject.CreationException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }

    /** Logs changes only, so a long outage is one line, not one per probe. */
    private void set(Condition c, boolean up, String detail) {
        Readiness.Status before = readiness.status(c);
        if (up) {
            readiness.up(c, detail);
        } else {
            readiness.down(c, detail);
        }
        if (before.up() != up || !before.detail().equals(detail)) {
            if (up) {
                LOG.infof("Ready: %s (%s)", c.checkName(), detail);
            } else {
                LOG.warnf("Not ready: %s: %s", c.checkName(), detail);
            }
        }
    }
}
