package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.VSphereSession;
import io.hotadd.agent.port.VSphere;

/**
 * Turns a logged-in vCenter session into the engine's {@link VSphere} port: the seam between the session
 * the boot layer opens from configuration and the gateway over it ({@link YavijavaVSphereFactory}).
 */
public interface VSphereFactory {

    /** The gateway over a logged-in session. */
    VSphere gateway(VSphereSession session);
}
