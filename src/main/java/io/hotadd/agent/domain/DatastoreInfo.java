package io.hotadd.agent.domain;

import java.util.List;

/**
 * A datastore as pre-flight needs it: HotAdd requires the proxy and the target on datastores its host can
 * reach, and (VDDK's VMFS-3 rule) the same VMFS version and block size.
 *
 * @param type            VMFS, NFS, NFS41, vsan, VVOL, ...
 * @param vmfsMajorVersion 0 when not VMFS
 * @param blockSizeMb      VMFS file block size, 0 when not VMFS
 * @param hosts            morefs of the hosts that mount it
 */
public record DatastoreInfo(String moref, String name, String type, int vmfsMajorVersion, int blockSizeMb,
                            long capacityBytes, long freeBytes, boolean accessible, List<String> hosts) {
    public DatastoreInfo {
        hosts = List.copyOf(hosts);
    }
}
