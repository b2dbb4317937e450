package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphere;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * Keeps the proxy's controllers as HotAdd needs them: SCSI bus 0 (the OS disk's) and PVSCSI spares at buses
 * 1..N, each holding a small dummy disk, because vCenter drops a controller whose last disk is removed and
 * because controllers must be added in bus order. Checked at start and before each job; a missing spare is
 * rebuilt, lowest bus first. The proxy's own OS disk is never touched.
 */
public final class ProxyLayout {
    private static final Logger LOG = Logger.getLogger(ProxyLayout.class);
    static final String DUMMY_PREFIX = "hotadd-dummy-bus";

    private final VSphere vsphere;
    private final EngineSettings settings;
    private final ReentrantLock reconfigLock;

    /** @param reconfigLock held around every reconfiguration of the proxy VM (vCenter serialises them anyway) */
    public ProxyLayout(VSphere vsphere, EngineSettings settings, ReentrantLock reconfigLock) {
        this.vsphere = vsphere;
        this.settings = settings;
        this.reconfigLock = reconfigLock;
    }

    /** Rebuilds missing spare controllers, in bus order, and answers the resulting layout. */
    public ProxyView ensure(VmRef proxyRef) {
        reconfigLock.lock();
        try {
            ProxyView view = inspect(proxyRef);
            boolean changed = false;
            for (int bus = 1; bus <= settings.spareControllers(); bus++) {
                if (!view.scsiByBus().containsKey(bus)) {
                    addSpare(view.vm(), bus);
                    changed = true;
                }
            }
            return changed ? ProxyView.of(read(proxyRef)) : view;
        } finally {
            reconfigLock.unlock();
        }
    }

    /** The proxy's layout as it is now, changing nothing; refused like {@link #ensure} when bus 0 is missing. */
    public ProxyView inspect(VmRef proxyRef) {
        ProxyView view = ProxyView.of(read(proxyRef));
        if (!view.scsiByBus().containsKey(0)) {
            throw new ProxySetupException("Proxy VM '" + view.vm().name() + "' has no SCSI controller at bus 0. "
                    + "HotAdd adds controllers in bus order starting after bus 0; give the proxy's OS disk a SCSI "
                    + "controller at bus 0 (PVSCSI recommended).");
        }
        return view;
    }

    /** The SCSI buses the proxy will have once {@link #ensure} has added the missing spares. */
    public SortedSet<Integer> busesOnceEnsured(ProxyView view) {
        SortedSet<Integer> buses = new TreeSet<>(view.scsiByBus().keySet());
        for (int bus = 1; bus <= settings.spareControllers(); bus++) {
            buses.add(bus);
        }
        return buses;
    }

    private void addSpare(VmInfo proxy, int bus) {
        String dummy = ProxyView.folderOf(proxy.vmPathName()) + DUMMY_PREFIX + bus + ".vmdk";
        LOG.infof("Proxy '%s' has no SCSI controller at bus %d; adding a PVSCSI controller with dummy disk %s",
                proxy.name(), bus, dummy);
        vsphere.addSpareController(proxy.ref(), bus, dummy, settings.dummyDiskBytes());
    }

    private VmInfo read(VmRef proxyRef) {
        return vsphere.read(proxyRef).orElseThrow(() -> new ProxySetupException("The proxy VM " + proxyRef
                + " no longer exists in vCenter; restart the agent so it finds itself again."));
    }
}
