package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of sysfs the agent reads and writes, under an injected root. Disks come and go while we look,
 * so a file that vanishes between listing and reading is "not there" ({@code Optional.empty()}), never an
 * error; anything else that fails is.
 */
final class SysfsTree {

    /** A SCSI address, host:channel:target:lun. The host is one PVSCSI controller; the target is the unit. */
    record Hctl(int host, int channel, int target, int lun) {
        static Optional<Hctl> parse(String text) {
            String[] parts = text.split(":");
            if (parts.length != 4) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Hctl(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]),
                        Integer.parseInt(parts[2]), Integer.parseInt(parts[3])));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return host + ":" + channel + ":" + target + ":" + lun;
        }
    }

    private static final int SECTOR = 512;
    // SCSI VPD page 0x80 starts with a 4-byte header (peripheral, page code, 16-bit length).
    private static final int VPD_HEADER = 4;

    private final Path root;

    SysfsTree(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** {@code block/<name>}: present while the kernel has the disk. */
    Path blockEntry(String name) {
        return root.resolve("block").resolve(name);
    }

    boolean hasBlock(String name) {
        return Files.exists(blockEntry(name), LinkOption.NOFOLLOW_LINKS);
    }

    /** Kernel names of all whole disks ({@code block/*}; partitions live below them). */
    List<String> blockNames() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve("block"))) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BlockDeviceException("cannot list " + root.resolve("block") + ": " + e, true, e);
        }
        names.sort(null);
        return names;
    }

    /** {@code block/<name>/size} is in 512-byte sectors whatever the disk's sector size. */
    Optional<Long> sizeBytes(String name) {
        return readText(blockEntry(name).resolve("size")).map(text -> Long.parseLong(text) * SECTOR);
    }

    /** {@code block/<name>/dev}: the device number the kernel gave the disk, e.g. {@code 8:32}. */
    Optional<String> deviceNumber(String name) {
        return readText(blockEntry(name).resolve("dev"));
    }

    Optional<Boolean> readOnly(String name) {
        return readText(blockEntry(name).resolve("ro")).map("1"::equals);
    }

    /** The address of {@code block/<name>/device}, a link to the scsi_device named H:C:T:L. */
    Optional<Hctl> hctl(String name) {
        try {
            Path scsiDevice = blockEntry(name).resolve("device").toRealPath();
            return Hctl.parse(scsiDevice.getFileName().toString());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BlockDeviceException("cannot resolve " + blockEntry(name).resolve("device") + ": " + e, true, e);
        }
    }

    /** The unit serial number (VPD page 0x80) in lower case; qemu puts the whole VMware UUID there. */
    Optional<String> serial(String name) {
        return readIdentity(blockEntry(name).resolve("device/vpd_pg80")).flatMap(SysfsTree::vpdPayload);
    }

    /** {@code device/wwid}, e.g. {@code naa.6000c29...}, in lower case. */
    Optional<String> wwid(String name) {
        return readIdentity(blockEntry(name).resolve("device/wwid"))
                .map(bytes -> new String(bytes, StandardCharsets.US_ASCII).trim().toLowerCase(Locale.ROOT));
    }

    Path deleteFile(String name) {
        return blockEntry(name).resolve("device/delete");
    }

    Path scanFile(int host) {
        return root.resolve("class/scsi_host/host" + host + "/scan");
    }

    /** Writes to a sysfs attribute in one write, without creating it: a missing attribute is an error. */
    void write(Path attribute, String text) throws IOException {
        Files.write(attribute, text.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
    }

    private static Optional<String> vpdPayload(byte[] page) {
        if (page.length <= VPD_HEADER) {
            return Optional.empty();
        }
        int declared = ((page[2] & 0xff) << 8) | (page[3] & 0xff);
        int length = Math.min(declared, page.length - VPD_HEADER);
        String serial = new String(page, VPD_HEADER, length, StandardCharsets.US_ASCII);
        return Optional.of(serial.replace("\0", "").trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
    }

    /**
     * An identifier a device may not have: the kernel answers a read of {@code wwid} or {@code vpd_pg80} of
     * a device without that VPD page (the appliance's CD-ROM, sr0) with ENXIO. Such a device is not a
     * hot-added VMware disk, so it has no identity here rather than failing a search of all disks.
     */
    private static Optional<byte[]> readIdentity(Path attribute) {
        try {
            return readBytes(attribute);
        } catch (BlockDeviceException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readText(Path attribute) {
        return readBytes(attribute).map(bytes -> new String(bytes, StandardCharsets.US_ASCII).trim());
    }

    private static Optional<byte[]> readBytes(Path attribute) {
        try {
            return Optional.of(Files.readAllBytes(attribute));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            // vpd_pg80 is readable by root only: a non-root agent just cannot use the serial fallback.
            return Optional.empty();
        } catch (IOException e) {
            throw new BlockDeviceException("cannot read " + attribute + ": " + e, true, e);
        }
    }
}
