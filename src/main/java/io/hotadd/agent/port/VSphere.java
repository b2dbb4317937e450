package io.hotadd.agent.port;

/**
 * Everything the engine asks of vCenter, as one injectable handle, the file service included (a backup
 * downloads the VM's NVRAM, a restore uploads it).
 */
public interface VSphere extends VmInventory, VmOperations, ProxyDevices, ChangedBlockTracking, DatastoreFiles {
}
