package io.hotadd.agent.engine.vcenter;

import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VcenterActivity;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Makes the agent known to vCenter once it can reach it: registers its extension (or updates it after an
 * upgrade) and marks the proxy appliance VM as managed by it. Tried again on every call until both worked,
 * so a vCenter that is down at start, or a missing privilege fixed later, is picked up without a restart;
 * a failure is logged and counted, never thrown.
 */
public final class VcenterPresence {
    private static final Logger LOG = Logger.getLogger(VcenterPresence.class);

    private final VcenterActivity vcenter;
    private final VisibilitySettings settings;
    private final Supplier<VmRef> proxy;
    private final VcenterJobTasks.Failures failures;
    private boolean registered;
    private boolean marked;

    public VcenterPresence(VcenterActivity vcenter, VisibilitySettings settings, Supplier<VmRef> proxy,
                           VcenterJobTasks.Failures failures) {
        this.vcenter = vcenter;
        this.settings = settings;
        this.proxy = proxy;
        this.failures = failures;
    }

    /** Answers whether the extension is registered and the appliance marked (nothing is left to do). */
    public synchronized boolean ensure() {
        if (!registered) {
            registered = attempt("register extension", () -> vcenter.registerExtension(AgentExtension.spec(settings)));
            if (registered) {
                LOG.infof("vCenter extension '%s' version %s registered", settings.extensionKey(), settings.version());
            }
        }
        if (registered && !marked) {
            marked = attempt("mark appliance", () -> vcenter.setManagedBy(proxy.get(), settings.extensionKey(),
                    AgentExtension.APPLIANCE));
        }
        return registered && marked;
    }

    private boolean attempt(String call, Runnable action) {
        try {
            action.run();
            return true;
        } catch (RuntimeException e) {
            LOG.warnf("Could not %s in vCenter (tried again later; backups are not affected): %s", call,
                    e.getMessage());
            failures.failed(call);
            return false;
        }
    }
}
