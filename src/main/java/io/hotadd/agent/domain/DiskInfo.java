package io.hotadd.agent.domain;

/**
 * One virtual disk of a VM (or of a snapshot of it), as much as backup, restore and pre-flight need.
 *
 * @param key            device key, stable for the life of the disk
 * @param uuid           VMware disk UUID as vCenter shows it (backing.uuid)
 * @param fileName       datastore path of the current backing file, e.g. {@code [ds1] web/web_1.vmdk}
 * @param datastore      moref of the datastore holding it
 * @param changeId       CBT change id of this disk state, or null when change tracking is off
 * @param parentFileName datastore path of the parent backing (delta disks, linked clones), or null
 * @param encrypted      whether the disk is encrypted with VM encryption
 */
public record DiskInfo(int key, String label, long capacityBytes, String uuid, String fileName, String datastore,
                       int controllerKey, int unitNumber, DiskMode mode, DiskBacking backing,
                       Provisioning provisioning, String changeId, String parentFileName, boolean encrypted) {
}
