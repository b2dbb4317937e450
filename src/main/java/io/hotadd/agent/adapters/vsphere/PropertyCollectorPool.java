package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import io.hotadd.agent.port.VSphereException;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.LongAdder;
import org.jboss.logging.Logger;

/**
 * PropertyCollectors of this session for waiting on tasks, one per concurrent waiter.
 *
 * <p>WaitForUpdatesEx reports the changes of every filter on a collector and keeps one version sequence
 * per collector, so two jobs waiting on the session's default collector would steal each other's updates.
 * Each wait therefore leases a collector of its own ({@code CreatePropertyCollector} once, then reused),
 * puts one filter on it and destroys that filter when done. Collectors live as long as the vCenter session;
 * after a re-login the old ones are gone, which {@link Lease#replace()} handles.
 */
final class PropertyCollectorPool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PropertyCollectorPool.class);

    private final VSphereSession session;
    private final Deque<ManagedObjectReference> idle = new ConcurrentLinkedDeque<>();
    private final LongAdder created = new LongAdder();

    PropertyCollectorPool(VSphereSession session) {
        this.session = session;
    }

    /** A collector for the caller alone until {@link Lease#close()}. */
    Lease lease() {
        ManagedObjectReference collector = idle.pollFirst();
        return new Lease(collector != null ? collector : create());
    }

    /** Collectors created so far (for tests and metrics). */
    long created() {
        return created.sum();
    }

    private ManagedObjectReference create() {
        ManagedObjectReference collector = session.call("create a property collector for waiting on tasks",
                "PropertyCollector", (vim, content) -> vim.createPropertyCollector(content.propertyCollector));
        created.increment();
        return collector;
    }

    /** Destroys the idle collectors (best effort: vCenter drops them with the session anyway). */
    @Override
    public void close() {
        for (ManagedObjectReference collector; (collector = idle.pollFirst()) != null; ) {
            ManagedObjectReference gone = collector;
            try {
                session.call("destroy a property collector", FaultTranslator.ref(gone), (vim, content) -> {
                    vim.destroyPropertyCollector(gone);
                    return null;
                });
            } catch (VSphereException | IllegalStateException e) {
                LOG.debugf("Could not destroy %s (%s); it ends with the session", gone.val, e.getMessage());
            }
        }
    }

    /** One leased collector. Returned to the pool only if the waiter says it is in a clean state. */
    final class Lease implements AutoCloseable {
        private ManagedObjectReference collector;
        private boolean reusable;

        private Lease(ManagedObjectReference collector) {
            this.collector = collector;
        }

        ManagedObjectReference collector() {
            return collector;
        }

        /** The collector is gone (the session was renewed): use a fresh one. */
        ManagedObjectReference replace() {
            collector = create();
            return collector;
        }

        /**
         * No WaitForUpdatesEx is outstanding on the collector, so the next waiter can use it. A wait cut short
         * by a transport error leaves the lease unmarked, and the collector is dropped.
         */
        void markReusable() {
            reusable = true;
        }

        @Override
        public void close() {
            if (reusable) {
                idle.offerFirst(collector);
            }
        }
    }
}
