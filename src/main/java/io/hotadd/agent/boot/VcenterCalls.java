package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.SkippedXmlCounter;

/** What the agent's vCenter session did, for the metrics. */
public interface VcenterCalls {
    long soapRoundTrips();

    /**
     * Response parts yavijava's 6.0 model does not know and the tolerant reader skipped, by kind: a rising
     * count after a vCenter upgrade is expected and harmless, and tells which model types to add.
     */
    long skippedXml(SkippedXmlCounter.Kind kind);
}
