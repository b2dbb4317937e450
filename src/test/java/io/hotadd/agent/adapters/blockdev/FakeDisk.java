package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** One disk of a {@link FakeGuest}: how it is described, then where it was published. */
final class FakeDisk {

    /** How the guest names the disk. */
    enum Identity {
        /** VMware with disk.EnableUUID=TRUE: 16-byte NAA, so wwn-0x + 32 hex digits; wwid naa.&lt;uuid&gt;. */
        VMWARE,
        /** qemu's pvscsi: an 8-byte wwn (16 hex digits in the link); the whole UUID only in the serial. */
        QEMU,
        /** No udev (no by-id links at all); the kernel still knows the wwid. */
        NO_UDEV
    }

    private final FakeGuest guest;
    private final String uuid;
    private int host;
    private int target = 1;
    private long sizeBytes = 1 << 20;
    private Identity identity = Identity.VMWARE;
    private boolean hidden;
    private boolean roFlag;
    private Path device;
    private String name;
    private volatile boolean published;

    FakeDisk(FakeGuest guest, String uuid) {
        this.guest = guest;
        this.uuid = uuid;
    }

    FakeDisk host(int scsiHost) {
        this.host = scsiHost;
        return this;
    }

    FakeDisk target(int scsiTarget) {
        this.target = scsiTarget;
        return this;
    }

    FakeDisk sizeBytes(long bytes) {
        this.sizeBytes = bytes;
        return this;
    }

    FakeDisk identity(Identity how) {
        this.identity = how;
        return this;
    }

    /** Not published until its host is rescanned, like a disk whose hot-plug announcement got lost. */
    FakeDisk hidden() {
        this.hidden = true;
        return this;
    }

    /** The sysfs {@code ro} flag the harness writes (1 for snapshot and clone disks). */
    FakeDisk readOnlyFlag() {
        this.roFlag = true;
        return this;
    }

    /** Publishes a real device (a loop device) instead of a plain file, as the harness does as root. */
    FakeDisk onDevice(Path realDevice) {
        this.device = realDevice;
        this.name = realDevice.getFileName().toString();
        return this;
    }

    FakeDisk publish() throws IOException {
        guest.register(this);
        return this;
    }

    String uuid() {
        return uuid;
    }

    int host() {
        return host;
    }

    int target() {
        return target;
    }

    long sizeBytes() {
        return sizeBytes;
    }

    String name() {
        return name;
    }

    boolean isHidden() {
        return hidden;
    }

    boolean roFlag() {
        return roFlag;
    }

    boolean isPublished() {
        return published;
    }

    Optional<Path> device() {
        return Optional.ofNullable(device);
    }

    /** What the agent should report as the device: the dev entry (a link to the content file) or the real one. */
    Path devEntry() {
        return device().orElse(guest.devDir().resolve(name));
    }

    String hctl() {
        return host + ":0:" + target + ":0";
    }

    Optional<String> linkName() {
        return switch (identity) {
            case VMWARE -> Optional.of("wwn-0x" + uuid);
            case QEMU -> Optional.of("wwn-0x" + uuid.substring(0, 16));
            case NO_UDEV -> Optional.empty();
        };
    }

    Path scsiDeviceDir() {
        return guest.hostDir(host).resolve("target" + host + ":0:" + target).resolve(hctl());
    }

    /** The identifiers the kernel shows in the scsi_device folder. */
    void writeIdentity(Path scsiDevice) throws IOException {
        switch (identity) {
            case VMWARE, NO_UDEV -> Files.writeString(scsiDevice.resolve("wwid"), "naa." + uuid + "\n");
            case QEMU -> {
                Files.writeString(scsiDevice.resolve("wwid"), "naa." + uuid.substring(0, 16) + "\n");
                Files.write(scsiDevice.resolve("vpd_pg80"), vpdPage80(uuid));
            }
        }
    }

    void assignName(String kernelName) {
        this.name = kernelName;
    }

    void markPublished(boolean nowPublished) {
        this.published = nowPublished;
    }

    /** VPD page 0x80 as the kernel exposes it: a 4-byte header, then the serial in ASCII. */
    static byte[] vpdPage80(String serial) {
        byte[] ascii = serial.getBytes(StandardCharsets.US_ASCII);
        byte[] page = new byte[4 + ascii.length];
        page[1] = (byte) 0x80;
        page[3] = (byte) ascii.length;
        System.arraycopy(ascii, 0, page, 4, ascii.length);
        return page;
    }
}
