package io.hotadd.agent.boot;

/** How many SOAP round trips the agent made to vCenter, for the metrics. */
public interface VcenterCalls {
    long soapRoundTrips();
}
