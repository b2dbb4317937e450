package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The proxy's Linux as the vcsim harness lays it out (docs/vcsim-harness.md, "The proxy's block layer") and
 * as a real kernel does: a dev folder, a by-id folder, and a sysfs tree with the same symlinks. It also
 * plays the guest: {@link #react()} removes a disk whose {@code delete} file got "1" and publishes hidden
 * disks of a host whose {@code scan} file was written, as Linux does; {@link #startReacting()} does that
 * on a background thread.
 */
final class FakeGuest implements AutoCloseable {

    /** A write to a host's scan file, at the time of the guest's clock. */
    record Scan(int host, String text, long atNanos) {
    }

    private final Path root;
    private final Path devDir;
    private final Path byIdDir;
    private final Path sysfs;
    private final List<FakeDisk> disks = new ArrayList<>();
    private final TreeSet<Integer> hosts = new TreeSet<>();
    private final List<Scan> scans = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private LongSupplier clock = System::nanoTime;
    private char nextName = 'a';
    private Thread reactor;
    private volatile boolean reacting;

    private FakeGuest(Path root) throws IOException {
        this.root = root;
        this.devDir = Files.createDirectories(root.resolve("dev"));
        this.byIdDir = Files.createDirectories(devDir.resolve("disk/by-id"));
        this.sysfs = root.resolve("sys");
        Files.createDirectories(sysfs.resolve("block"));
        Files.createDirectories(sysfs.resolve("class/scsi_host"));
    }

    static FakeGuest create(Path root) throws IOException {
        return new FakeGuest(root);
    }

    /** The agent's configuration for this tree. */
    GuestDisksConfig config(Duration pollInterval, Duration rescanGrace) {
        return GuestDisksConfig.underRoots(devDir, byIdDir, sysfs).withTimings(pollInterval, rescanGrace);
    }

    Path devDir() {
        return devDir;
    }

    Path byIdDir() {
        return byIdDir;
    }

    Path sysfs() {
        return sysfs;
    }

    /** Time stamps for recorded scans (virtual time in tests that use a {@link FakeWaitClock}). */
    FakeGuest useClock(LongSupplier nanoClock) {
        this.clock = nanoClock;
        return this;
    }

    /** Starts describing a disk; {@link FakeDisk#publish()} puts it in the tree. */
    FakeDisk disk(String uuid) {
        return new FakeDisk(this, uuid);
    }

    /** Every write to a scan file the guest has seen, oldest first. */
    synchronized List<Scan> scans() {
        return List.copyOf(scans);
    }

    /** Kernel names of the disks removed through their delete file, in order. */
    synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    /** The text currently in a host's scan file (the agent's write, if {@link #react()} has not run). */
    String scanFileText(int host) throws IOException {
        return Files.readString(hostDir(host).resolve("scsi_host/host" + host + "/scan"));
    }

    /** One pass of the guest's reactions to scan and delete writes. */
    synchronized void react() {
        try {
            for (int host : hosts) {
                reactToScan(host);
            }
            for (FakeDisk disk : List.copyOf(disks)) {
                if (disk.isPublished() && "1".equals(readTrimmed(disk.scsiDeviceDir().resolve("delete")))) {
                    withdraw(disk);
                    deleted.add(disk.name());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reacts every 2 ms until {@link #close()}, as the guest kernel would. */
    void startReacting() {
        reacting = true;
        reactor = new Thread(() -> {
            while (reacting) {
                react();
                sleepQuietly();
            }
        }, "fake-guest");
        reactor.setDaemon(true);
        reactor.start();
    }

    @Override
    public void close() throws InterruptedException {
        reacting = false;
        if (reactor != null) {
            reactor.join(5000);
        }
    }

    synchronized void register(FakeDisk disk) throws IOException {
        if (disk.name() == null) {
            disk.assignName("sd" + nextName++);
        }
        ensureHost(disk.host());
        disks.add(disk);
        if (!disk.isHidden()) {
            publish(disk);
        }
    }

    /** Lays the disk out: content, dev entry, sysfs device and block entries, by-id link. */
    synchronized void publish(FakeDisk disk) throws IOException {
        Path content = disk.device().isPresent() ? null : contentFile(disk);
        Path devEntry = disk.device().orElse(devDir.resolve(disk.name()));
        if (content != null) {
            Files.createSymbolicLink(devEntry, content);
        }
        Path scsiDevice = Files.createDirectories(disk.scsiDeviceDir());
        Files.writeString(scsiDevice.resolve("delete"), "");
        Files.writeString(scsiDevice.resolve("vendor"), "VMware  \n");
        Files.writeString(scsiDevice.resolve("model"), "Virtual disk    \n");
        disk.writeIdentity(scsiDevice);
        Path block = Files.createDirectories(scsiDevice.resolve("block").resolve(disk.name()));
        Files.writeString(block.resolve("size"), disk.sizeBytes() / 512 + "\n");
        Files.writeString(block.resolve("ro"), (disk.roFlag() ? "1" : "0") + "\n");
        Files.createSymbolicLink(block.resolve("device"), Path.of("../../../" + disk.hctl()));
        Files.createSymbolicLink(sysfs.resolve("block").resolve(disk.name()),
                Path.of("..").resolve(sysfs.relativize(block)));
        disk.linkName().ifPresent(link -> createByIdLink(link, disk, devEntry));
        disk.markPublished(true);
    }

    private void createByIdLink(String linkName, FakeDisk disk, Path devEntry) {
        // Linux makes ../../sdX; the harness may link to an absolute /dev/loopN.
        Path target = disk.device().isPresent() ? devEntry : Path.of("../..").resolve(disk.name());
        try {
            Files.createSymbolicLink(byIdDir.resolve(linkName), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void withdraw(FakeDisk disk) throws IOException {
        if (disk.linkName().isPresent()) {
            Files.deleteIfExists(byIdDir.resolve(disk.linkName().get()));
        }
        if (disk.device().isEmpty()) {
            Files.deleteIfExists(devDir.resolve(disk.name()));
        }
        Files.deleteIfExists(sysfs.resolve("block").resolve(disk.name()));
        deleteTree(disk.scsiDeviceDir());
        disk.markPublished(false);
    }

    private void reactToScan(int host) throws IOException {
        Path scan = hostDir(host).resolve("scsi_host/host" + host + "/scan");
        String text = Files.readString(scan);
        if (text.isEmpty()) {
            return;
        }
        Files.writeString(scan, "");
        scans.add(new Scan(host, text, clock.getAsLong()));
        for (FakeDisk disk : disks) {
            if (disk.host() == host && !disk.isPublished() && disk.isHidden()) {
                publish(disk);
            }
        }
    }

    private void ensureHost(int host) throws IOException {
        if (!hosts.add(host)) {
            return;
        }
        Path scsiHost = Files.createDirectories(hostDir(host).resolve("scsi_host/host" + host));
        Files.writeString(scsiHost.resolve("scan"), "");
        Files.writeString(scsiHost.resolve("proc_name"), "vmw_pvscsi\n");
        Files.createSymbolicLink(sysfs.resolve("class/scsi_host/host" + host),
                Path.of("../..").resolve(sysfs.relativize(scsiHost)));
    }

    Path hostDir(int host) {
        return sysfs.resolve(String.format("devices/pci0000:00/0000:00:%02x.0/host%d", 0x10 + host, host));
    }

    private Path contentFile(FakeDisk disk) throws IOException {
        Path content = Files.createDirectories(root.resolve("content")).resolve(disk.uuid() + ".img");
        if (!Files.exists(content)) {
            try (RandomAccessFile file = new RandomAccessFile(content.toFile(), "rw")) {
                file.setLength(disk.sizeBytes());
            }
        }
        return content;
    }

    private static String readTrimmed(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim() : "";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
