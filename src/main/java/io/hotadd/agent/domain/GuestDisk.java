package io.hotadd.agent.domain;

import java.nio.file.Path;

/**
 * A VMware virtual disk as the proxy's Linux sees it.
 *
 * @param uuid       the VMware disk UUID, canonical form (32 lower-case hex digits, no dashes)
 * @param device     the block device (or, against the test harness, a file) to open
 * @param name       kernel name, e.g. sdc
 * @param scsiHost   H of H:C:T:L, the SCSI host (one per controller)
 * @param scsiTarget T of H:C:T:L, the unit number on the controller
 * @param sizeBytes  size the kernel reports
 * @param readOnly   whether the block layer refuses writes
 */
public record GuestDisk(String uuid, Path device, String name, int scsiHost, int scsiTarget, long sizeBytes,
                        boolean readOnly) {

    /** VMware shows disk UUIDs as {@code 6000C29a-1b2c-...}; Linux as {@code 6000c29a1b2c...}. */
    public static String canonicalUuid(String uuid) {
        String hex = uuid.replace("-", "").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        if (!hex.matches("[0-9a-f]{32}")) {
            throw new IllegalArgumentException("not a VMware disk UUID (32 hex digits): '" + uuid + "'");
        }
        return hex;
    }
}
