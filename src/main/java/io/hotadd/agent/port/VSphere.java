package io.hotadd.agent.port;

/** Everything the engine asks of vCenter, as one injectable handle. */
public interface VSphere extends VmInventory, VmOperations, ProxyDevices, ChangedBlockTracking {
}
