package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.VSphereSession;
import io.hotadd.agent.port.VSphere;

/**
 * INTEGRATION POINT for the vSphere gateway. The engine's {@link VSphere} port is implemented by
 * {@code io.hotadd.agent.adapters.vsphere.YavijavaVSphere}, which is not on this branch yet. When it is
 * merged, add one CDI bean here in boot:
 *
 * <pre>{@code
 * @Singleton
 * class YavijavaVSphereFactory implements VSphereFactory {
 *     public VSphere gateway(VSphereSession session) {
 *         return new YavijavaVSphere(session, VSphereAdapterOptions.defaults());
 *     }
 * }
 * }</pre>
 *
 * Until then the agent starts, its readiness reports vCenter down with this explanation, and jobs are
 * refused; tests replace the port with fakes (src/test, {@code FakeWorldProducers}).
 */
public interface VSphereFactory {

    /** The gateway over a logged-in session; it owns the session from then on. */
    VSphere gateway(VSphereSession session);
}
