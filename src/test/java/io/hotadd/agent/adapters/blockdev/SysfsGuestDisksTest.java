package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.blockdev.FakeDisk.Identity;
import io.hotadd.agent.domain.GuestDisk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding, checking and releasing hot-added disks in a harness-shaped tree. */
class SysfsGuestDisksTest {

    static final String OS_DISK = "6000c2900000000000000000000000aa";
    static final String DISK = "6000c29a1b2c3d4e5f60718293a4b5c6";
    static final String OTHER = "6000c29ffffeeeedddd0000111122223";
    static final long SIZE = 4L << 20;
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FakeGuest guest;
    private final FakeWaitClock clock = new FakeWaitClock();

    @BeforeEach
    void layOutGuest() throws Exception {
        guest = FakeGuest.create(dir).useClock(clock::nanoTime);
        guest.disk(OS_DISK).host(2).target(0).sizeBytes(8L << 20).publish();
    }

    @AfterEach
    void stopGuest() throws Exception {
        guest.close();
    }

    private SysfsGuestDisks disks() {
        return new SysfsGuestDisks(guest.config(POLL, GRACE), clock);
    }

    @Test
    void aDiskThatIsAlreadyThereIsFoundWithoutWaitingOrRescanning() throws Exception {
        FakeDisk published = guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();

        GuestDisk disk = disks().locate(DISK, SIZE, Optional.of(OS_DISK), false, DEADLINE);

        assertEquals(new GuestDisk(DISK, published.devEntry(), published.name(), 2, 3, SIZE, false), disk);
        assertEquals(0, clock.sleeps());
        assertEquals("", guest.scanFileText(2));
    }

    @Test
    void vmwareFormattedUuidsAreAccepted() throws Exception {
        guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();

        String vmwareForm = "6000C29A-1B2C-3D4E-5F60-718293A4B5C6";

        GuestDisk disk = disks().locate(vmwareForm, SIZE, Optional.empty(), false, DEADLINE);

        assertEquals(DISK, disk.uuid());
    }

    @Test
    void aDiskThatAppearsAfterAWhileIsFoundWithoutARescanBeforeTheGracePeriod() throws Exception {
        FakeDisk late = guest.disk(DISK).host(2).target(3).sizeBytes(SIZE);
        clock.onEverySleep(() -> publishOnce(late, Duration.ofMillis(700)));

        GuestDisk disk = disks().locate(DISK, SIZE, Optional.of(OS_DISK), false, DEADLINE);

        assertEquals(late.devEntry(), disk.device());
        assertEquals(7, clock.sleeps());
        assertEquals("", guest.scanFileText(2), "no rescan before the grace period is over");
    }

    @Test
    void aHiddenDiskAppearsWhenTheAgentRescansItsControllerAfterTheGracePeriod() throws Exception {
        guest.disk(OTHER).host(1).target(0).publish();
        guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).hidden().publish();
        guest.useClock(System::nanoTime).startReacting();
        SysfsGuestDisks disks = new SysfsGuestDisks(guest.config(Duration.ofMillis(5), Duration.ofMillis(50)),
                WaitClock.system());

        GuestDisk disk = disks.locate(DISK, SIZE, Optional.of(OS_DISK), false, Duration.ofSeconds(20));

        assertEquals(3, disk.scsiTarget());
        assertEquals(List.of(2), guest.scans().stream().map(FakeGuest.Scan::host).toList());
        assertEquals("- - -", guest.scans().get(0).text());
    }

    @Test
    void aDiskThatNeverAppearsGetsOneRescanOfTheAnchorsHostOnlyThenATimeoutThatSaysWhatToCheck() throws Exception {
        guest.disk(OTHER).host(1).target(0).publish();
        guest.disk("6000c29000000000000000000000f00d").host(0).target(0).publish();
        clock.onEverySleep(guest::react);

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, SIZE, Optional.of(OS_DISK), true, DEADLINE));

        assertEquals(1, guest.scans().size(), "exactly one rescan: " + guest.scans());
        FakeGuest.Scan scan = guest.scans().get(0);
        assertEquals(2, scan.host());
        assertEquals("- - -", scan.text());
        assertTrue(scan.atNanos() - 1_000_000_000L >= GRACE.toNanos(), "rescanned before the grace period");
        assertEquals(DEADLINE, clock.elapsed());
        assertMentions(e, DISK, "PT30S", guest.byIdDir().resolve("wwn-0x" + DISK).toString(),
                "rescanned SCSI host 2", OS_DISK, "disk.EnableUUID=TRUE", "controller");
        assertTrue(e.isRetriable());
    }

    @Test
    void withoutAnAnchorNothingIsRescannedAndTheErrorSaysWhy() throws Exception {
        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, SIZE, Optional.empty(), false, Duration.ofSeconds(10)));

        assertEquals("", guest.scanFileText(2));
        assertMentions(e, DISK, "no rescan", "no anchor");
    }

    @Test
    void anAnchorThatIsNotVisibleEitherIsReportedInsteadOfRescanningAGuess() throws Exception {
        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, SIZE, Optional.of(OTHER), false, Duration.ofSeconds(10)));

        assertEquals("", guest.scanFileText(2));
        assertMentions(e, "no rescan", "anchor disk " + OTHER + " is not visible");
    }

    @Test
    void aLinkWithoutItsSysfsEntryIsNotTakenForTheDiskAndTheErrorShowsWhatWasSeen() throws Exception {
        FakeDisk disk = guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();
        Files.delete(guest.sysfs().resolve("block").resolve(disk.name()));

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, SIZE, Optional.of(OS_DISK), false, Duration.ofSeconds(10)));

        assertMentions(e, "wwn-0x" + DISK + " -> " + disk.devEntry(), "block/" + disk.name() + " is missing");
    }

    @Test
    void aDiskOfAnotherSizeIsRefusedNamingBothSizes() throws Exception {
        guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().locate(DISK, 2 * SIZE, Optional.of(OS_DISK), false, DEADLINE));

        assertMentions(e, DISK, String.valueOf(SIZE), String.valueOf(2 * SIZE), "/size");
        assertFalse(e.isRetriable());
    }

    @Test
    void onAPlainFileReadOnlyReportsTheHarnessFlagBecauseThereIsNoBlockLayerToSet() throws Exception {
        guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).readOnlyFlag().publish();
        guest.disk(OTHER).host(2).target(4).sizeBytes(SIZE).publish();

        assertTrue(disks().locate(DISK, SIZE, Optional.empty(), true, DEADLINE).readOnly());
        assertFalse(disks().locate(OTHER, SIZE, Optional.empty(), true, DEADLINE).readOnly());
    }

    @Test
    void releaseDeletesTheDeviceInTheGuestAndWaitsUntilItIsGone() throws Exception {
        FakeDisk disk = guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();
        guest.useClock(System::nanoTime).startReacting();
        SysfsGuestDisks disks = new SysfsGuestDisks(guest.config(Duration.ofMillis(5), GRACE), WaitClock.system());

        disks.release(DISK, Duration.ofSeconds(20));

        assertEquals(List.of(disk.name()), guest.deleted());
        assertFalse(Files.exists(guest.byIdDir().resolve("wwn-0x" + DISK), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(guest.sysfs().resolve("block").resolve(disk.name()), LinkOption.NOFOLLOW_LINKS));
        assertEquals(Optional.empty(), disks.find(DISK));
        assertTrue(disks.find(OS_DISK).isPresent(), "only the released disk goes");
    }

    @Test
    void releasingADiskTheGuestDoesNotSeeIsANoOp() throws Exception {
        disks().release(DISK, DEADLINE);

        assertEquals(List.of(), guest.deleted());
        assertEquals(0, clock.sleeps());
        assertTrue(disks().find(OS_DISK).isPresent());
    }

    @Test
    void aDiskThatStaysAfterDeleteIsAnErrorNamingUuidAndDevice() throws Exception {
        FakeDisk disk = guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> disks().release(DISK, Duration.ofSeconds(10)));

        assertMentions(e, DISK, disk.devEntry().toString(), "delete", "block/" + disk.name(), "Do not detach");
        assertEquals("1", Files.readString(disk.scsiDeviceDir().resolve("delete")));
    }

    @Test
    void visibleListsEveryVmwareDiskOnceWhicheverWayItIsNamed() throws Exception {
        guest.disk(DISK).host(2).target(3).sizeBytes(SIZE).publish();
        guest.disk(OTHER).host(1).target(2).identity(Identity.QEMU).publish();
        String noUdev = "6000c29123456789abcdef0123456789";
        guest.disk(noUdev).host(1).target(4).identity(Identity.NO_UDEV).publish();
        Files.createSymbolicLink(guest.byIdDir().resolve("wwn-0x5000c500a1b2c3d4"), Path.of("../../vda"));
        Files.createSymbolicLink(guest.byIdDir().resolve("wwn-0x" + DISK + "-part1"), Path.of("../../sdx1"));

        List<String> uuids = disks().visible().stream().map(GuestDisk::uuid).toList();

        assertEquals(List.of(OS_DISK, noUdev, DISK, OTHER), uuids);
    }

    @Test
    void aQemuDiskWhoseLinkHasHalfTheUuidIsFoundByItsScsiSerial() throws Exception {
        FakeDisk qemu = guest.disk(DISK).host(0).target(1).sizeBytes(SIZE).identity(Identity.QEMU).publish();
        assertTrue(Files.exists(guest.byIdDir().resolve("wwn-0x6000c29a1b2c3d4e"), LinkOption.NOFOLLOW_LINKS));

        GuestDisk disk = disks().locate(DISK, SIZE, Optional.empty(), false, DEADLINE);

        assertEquals(new GuestDisk(DISK, guest.devDir().resolve(qemu.name()), qemu.name(), 0, 1, SIZE, false), disk);
    }

    @Test
    void aDiskWithoutUdevLinksIsFoundByItsWwid() throws Exception {
        FakeDisk bare = guest.disk(DISK).host(2).target(5).sizeBytes(SIZE).identity(Identity.NO_UDEV).publish();

        assertEquals(guest.devDir().resolve(bare.name()), disks().locate(DISK, SIZE, Optional.empty(), false,
                DEADLINE).device());
    }

    @Test
    void aQemuDiskIsReleasedThroughTheSameDeleteFile() throws Exception {
        FakeDisk qemu = guest.disk(DISK).host(0).target(1).sizeBytes(SIZE).identity(Identity.QEMU).publish();
        clock.onEverySleep(guest::react);

        disks().release(DISK, DEADLINE);

        assertEquals(List.of(qemu.name()), guest.deleted());
        assertEquals(Optional.empty(), disks().find(DISK));
    }

    @Test
    void aDeviceWithoutVpdPagesLikeTheCdromIsSkippedWhenSearchingBySerial() throws Exception {
        // The kernel fails reads of sr0's wwid and vpd_pg80 (ENXIO); a directory in their place fails the same way.
        Path cdrom = Files.createDirectories(guest.sysfs().resolve("devices/ata1/1:0:0:0"));
        Files.createDirectories(cdrom.resolve("wwid"));
        Files.createDirectories(cdrom.resolve("vpd_pg80"));
        Path sr0 = Files.createDirectories(cdrom.resolve("block/sr0"));
        Files.writeString(sr0.resolve("size"), "2048\n");
        Files.createSymbolicLink(sr0.resolve("device"), Path.of("../.."));
        Files.createSymbolicLink(guest.sysfs().resolve("block/sr0"), guest.sysfs().resolve("block").relativize(sr0));
        FakeDisk qemu = guest.disk(DISK).host(0).target(1).sizeBytes(SIZE).identity(Identity.QEMU).publish();
        clock.onEverySleep(guest::react);

        assertEquals(guest.devDir().resolve(qemu.name()), disks().locate(DISK, SIZE, Optional.empty(), false,
                DEADLINE).device());
        disks().release(DISK, DEADLINE);
        disks().release(DISK, DEADLINE); // the engine releases again before each detach: a search of every disk

        assertEquals(List.of(qemu.name()), guest.deleted());
        assertEquals(List.of(OS_DISK), disks().visible().stream().map(GuestDisk::uuid).toList());
    }

    private void publishOnce(FakeDisk disk, Duration after) {
        try {
            if (!disk.isPublished() && clock.elapsed().compareTo(after) >= 0) {
                disk.publish();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
