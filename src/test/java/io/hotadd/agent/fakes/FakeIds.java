package io.hotadd.agent.fakes;

import java.util.Random;

/**
 * Identifiers in the forms vCenter hands out: morefs ({@code vm-101}), instance and BIOS UUIDs, VMware disk
 * UUIDs ({@code 6000C29x-...}), CBT tracking ids ({@code 52 xx xx xx xx xx xx xx-xx xx xx xx xx xx xx xx})
 * and device keys. Reproducible: the same scene gets the same ids.
 */
final class FakeIds {
    private final Random random = new Random(52);
    private int next = 100;
    private int nextDeviceKey = 3000;

    synchronized String moref(String prefix) {
        return prefix + "-" + next++;
    }

    /** An instance ({@code 50...}) or BIOS ({@code 42...}) UUID. */
    synchronized String vmUuid(String prefix) {
        int n = next++;
        return String.format("%s%06x-%04x-%04x-%04x-%012x", prefix, n, random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
    }

    /** A VMware disk UUID: 32 hex digits starting {@code 6000C29}. */
    synchronized String diskUuid() {
        int n = next++;
        return String.format("6000C29%01x-%04x-%04x-%04x-%012x", n % 16, n & 0xffff, random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
    }

    /** A fresh CBT tracking id, formed as vSphere forms them. */
    synchronized String trackId() {
        StringBuilder id = new StringBuilder("52");
        for (int i = 1; i < 16; i++) {
            id.append(i == 8 ? '-' : ' ').append(String.format("%02x", random.nextInt(256)));
        }
        return id.toString();
    }

    /** A device key for a disk vCenter adds to a running VM (hot-add). */
    synchronized int deviceKey() {
        return nextDeviceKey++;
    }
}
