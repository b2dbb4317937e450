package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.VSphereAdapterOptions;
import io.hotadd.agent.adapters.vsphere.VSphereSession;
import io.hotadd.agent.adapters.vsphere.YavijavaVSphere;
import io.hotadd.agent.port.VSphere;
import jakarta.inject.Singleton;

/** The production gateway: yavijava over the agent's session, with the adapter's default task deadlines. */
@Singleton
public class YavijavaVSphereFactory implements VSphereFactory {

    @Override
    public VSphere gateway(VSphereSession session) {
        return new YavijavaVSphere(session, VSphereAdapterOptions.defaults());
    }
}
