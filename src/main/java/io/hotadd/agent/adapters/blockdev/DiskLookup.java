package io.hotadd.agent.adapters.blockdev;

import io.hotadd.agent.adapters.blockdev.SysfsTree.Hctl;
import io.hotadd.agent.domain.GuestDisk;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds VMware disks in the guest, one look, no waiting.
 *
 * <p>Primary: udev's {@code by-id/wwn-0x<uuid>} link, which VMware disks get when the proxy VM has
 * disk.EnableUUID=TRUE (their NAA identifier is the 16-byte disk UUID). Fallback: the SCSI serial
 * ({@code device/vpd_pg80}) or {@code device/wwid} of every disk in sysfs, for disks whose link is missing
 * or shorter: qemu can only give an 8-byte wwn, so under qemu the link carries half the UUID while the
 * serial carries all of it.
 *
 * <p>The kernel name is the name of what the by-id link points at ({@code ../../sdc} on Linux; the harness
 * points at {@code /dev/loopN} or at {@code devDir/sdX}, a link to a plain file); its sysfs entry
 * {@code block/<name>} must carry the same name.
 */
final class DiskLookup {

    private static final String WWN_PREFIX = "wwn-0x";
    // VMware disk UUIDs as NAA: the 6000c29 prefix plus 25 more hex digits (32 in all).
    private static final Pattern VMWARE_UUID = Pattern.compile("6000c29[0-9a-f]{25}");
    private static final Pattern VMWARE_WWN_LINK = Pattern.compile(WWN_PREFIX + "(" + VMWARE_UUID + ")");

    private final GuestDisksConfig config;
    private final SysfsTree sysfs;

    DiskLookup(GuestDisksConfig config, SysfsTree sysfs) {
        this.config = config;
        this.sysfs = sysfs;
    }

    /** Where the primary link for {@code uuid} (canonical form) is. */
    Path wwnLink(String uuid) {
        return config.byIdDir().resolve(WWN_PREFIX + uuid);
    }

    /** The disk with this canonical UUID, if the kernel and udev both show all of it now. */
    Optional<GuestDisk> find(String uuid) {
        Optional<GuestDisk> byLink = linkTarget(wwnLink(uuid)).flatMap(device -> describe(uuid, device));
        return byLink.isPresent() ? byLink : findBySerial(uuid);
    }

    /** All VMware disks seen now, in UUID order; a disk found both ways is listed once. */
    List<GuestDisk> visible() {
        Map<String, GuestDisk> disks = new TreeMap<>();
        for (String linkName : byIdNames()) {
            Matcher m = VMWARE_WWN_LINK.matcher(linkName);
            if (m.matches()) {
                linkTarget(config.byIdDir().resolve(linkName))
                        .flatMap(device -> describe(m.group(1), device))
                        .ifPresent(disk -> disks.put(disk.uuid(), disk));
            }
        }
        for (String name : sysfs.blockNames()) {
            Optional<String> uuid = serialUuid(name).filter(id -> VMWARE_UUID.matcher(id).matches());
            if (uuid.isPresent() && !disks.containsKey(uuid.get())) {
                describe(uuid.get(), config.devDir().resolve(name)).ifPresent(disk -> disks.put(disk.uuid(), disk));
            }
        }
        return new ArrayList<>(disks.values());
    }

    /** What is there for {@code uuid} while it is not found, for the error that ends a wait. */
    String describeAbsence(String uuid) {
        Path link = wwnLink(uuid);
        Optional<Path> device = linkTarget(link);
        if (device.isPresent()) {
            String name = device.get().getFileName().toString();
            return "found " + link + " -> " + device.get() + " but " + sysfs.blockEntry(name)
                    + " is missing or incomplete (no size or SCSI address)";
        }
        return Files.exists(link, LinkOption.NOFOLLOW_LINKS) ? "found " + link + " pointing at nothing"
                : "found nothing";
    }

    private Optional<GuestDisk> findBySerial(String uuid) {
        for (String name : sysfs.blockNames()) {
            if (serialUuid(name).filter(uuid::equals).isPresent()) {
                return describe(uuid, config.devDir().resolve(name));
            }
        }
        return Optional.empty();
    }

    /** The UUID a disk carries in its SCSI serial, else in a 16-byte NAA wwid. */
    private Optional<String> serialUuid(String name) {
        Optional<String> serial = sysfs.serial(name).filter(s -> s.matches("[0-9a-f]{32}"));
        if (serial.isPresent()) {
            return serial;
        }
        return sysfs.wwid(name).filter(w -> w.matches("naa\\.[0-9a-f]{32}")).map(w -> w.substring(4));
    }

    private Optional<GuestDisk> describe(String uuid, Path device) {
        if (!Files.exists(device)) {
            return Optional.empty();
        }
        String name = device.getFileName().toString();
        Optional<Long> size = sysfs.sizeBytes(name);
        Optional<Hctl> hctl = sysfs.hctl(name);
        if (size.isEmpty() || hctl.isEmpty() || staleNode(name, device)) {
            return Optional.empty();
        }
        boolean readOnly = DeviceGeometry.isBlockDevice(device)
                ? BlockIoctls.isReadOnly(device)
                : sysfs.readOnly(name).orElse(false);
        return Optional.of(new GuestDisk(uuid, device, name, hctl.get().host(), hctl.get().target(), size.get(),
                readOnly));
    }

    /**
     * True when sysfs gives the disk a device number and the node we would open has another one: the
     * name was reused and the node or link still points at the previous disk.
     */
    private boolean staleNode(String name, Path device) {
        Optional<String> expected = sysfs.deviceNumber(name);
        Optional<String> actual = DeviceNumbers.of(device);
        return expected.isPresent() && actual.isPresent() && !expected.equals(actual);
    }

    // One hop only: in harness file mode the target is itself a link (devDir/sdX -> a plain file), and its
    // name, not the file's, is the kernel name.
    private static Optional<Path> linkTarget(Path link) {
        try {
            Path target = link.getParent().resolve(Files.readSymbolicLink(link)).normalize();
            return Files.exists(target) ? Optional.of(target) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NotLinkException e) {
            return Optional.of(link); // a device node placed in by-id itself
        } catch (IOException | UnsupportedOperationException e) {
            throw new BlockDeviceException("cannot read the link " + link + ": " + e, true, e);
        }
    }

    private List<String> byIdNames() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(config.byIdDir(), WWN_PREFIX + "*")) {
            entries.forEach(entry -> names.add(entry.getFileName().toString()));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new BlockDeviceException("cannot list " + config.byIdDir() + ": " + e, true, e);
        }
        return names;
    }
}
