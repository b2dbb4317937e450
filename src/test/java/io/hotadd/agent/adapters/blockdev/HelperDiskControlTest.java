package io.hotadd.agent.adapters.blockdev;

import static io.hotadd.agent.adapters.blockdev.DirectBlockSourceTest.assertMentions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's side of the root helper protocol, against a helper stand-in on a real AF_UNIX socket. */
class HelperDiskControlTest {

    private static final String DISK = SysfsGuestDisksTest.DISK;

    @TempDir
    Path dir;

    private final List<String> requests = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;
    private Thread serving;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            serving.join(5_000);
        }
    }

    @Test
    void eachOperationIsOneLineAndOkMeansDone() throws Exception {
        DiskControl control = DiskControl.helper(serve(request -> "ok"), Duration.ofSeconds(5));

        control.rescan(2);
        control.delete("sdc");
        control.setReadOnly("sdc", Path.of("/dev/sdc"), true);
        control.setReadOnly("sdc", Path.of("/dev/sdc"), false);

        assertEquals(List.of("scan 2", "delete sdc", "roset sdc", "rwset sdc"), requests);
    }

    @Test
    void aRefusalIsNotRetriableAndCarriesTheHelpersReason() throws Exception {
        DiskControl control = DiskControl.helper(serve(r -> "error sda holds a mounted filesystem (/)"),
                Duration.ofSeconds(5));

        BlockDeviceException e = assertThrows(BlockDeviceException.class,
                () -> control.setReadOnly("sda", Path.of("/dev/sda"), true));
        assertMentions(e, "refused 'roset sda'", "mounted filesystem");
        assertFalse(e.isRetriable());
        IOException delete = assertThrows(IOException.class, () -> control.delete("sda"));
        assertMentions(delete, "refused 'delete sda'");
    }

    @Test
    void noHelperListeningSaysWhatToCheck() {
        DiskControl control = DiskControl.helper(dir.resolve("absent.sock"), Duration.ofSeconds(1));
        IOException e = assertThrows(IOException.class, () -> control.rescan(0));
        assertMentions(e, "absent.sock", "hotadd-helper.socket");
    }

    @Test
    void aSilentHelperTimesOut() throws Exception {
        DiskControl control = DiskControl.helper(serve(r -> null), Duration.ofMillis(300));
        IOException e = assertThrows(IOException.class, () -> control.delete("sdb"));
        assertMentions(e, "did not answer 'delete sdb' within PT0.3S");
    }

    @Test
    void namesThatAreNotWholeScsiDisksNeverLeaveTheAgent() throws Exception {
        DiskControl control = DiskControl.helper(serve(r -> "ok"), Duration.ofSeconds(5));
        for (String bad : new String[] {"sda1", "../sda", "sda b", "nvme0n1", "loop0", ""}) {
            assertThrows(IllegalArgumentException.class, () -> control.delete(bad), bad);
        }
        assertEquals(List.of(), requests);
    }

    @Test
    void sysfsGuestDisksReleasesThroughTheHelper() throws Exception {
        try (FakeGuest guest = FakeGuest.create(dir.resolve("guest")).useClock(System::nanoTime)) {
            FakeDisk disk = guest.disk(DISK).host(2).target(3).sizeBytes(4L << 20).publish();
            guest.startReacting();
            // The stand-in does what the real helper does after its checks: the sysfs write, here in the tree.
            DiskControl direct = DiskControl.direct(guest.sysfs());
            Path socket = serve(request -> {
                try {
                    direct.delete(request.substring("delete ".length()));
                    return "ok";
                } catch (IOException e) {
                    return "error " + e.getMessage();
                }
            });
            SysfsGuestDisks disks = new SysfsGuestDisks(guest.config(Duration.ofMillis(5), Duration.ofSeconds(5)),
                    WaitClock.system(), DiskControl.helper(socket, Duration.ofSeconds(5)));

            disks.release(DISK, Duration.ofSeconds(20));

            assertEquals(List.of("delete " + disk.name()), requests);
            assertEquals(List.of(disk.name()), guest.deleted());
        }
    }

    @Test
    void theAgentUsesTheHelperWhenItsSocketIsConfiguredElseSysfs() {
        assertEquals("the root helper at /run/hotadd-helper.sock", DiskControl.forAgent(
                java.util.Optional.of(Path.of("/run/hotadd-helper.sock")), Path.of("/sys")).describe());
        assertEquals("sysfs under /sys", DiskControl.forAgent(java.util.Optional.empty(), Path.of("/sys")).describe());
    }

    /** A helper stand-in: one request line per connection, the reply from {@code answer} (null: say nothing). */
    private Path serve(Function<String, String> answer) throws IOException {
        Path socket = dir.resolve("helper.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        serving = new Thread(() -> {
            while (server.isOpen()) {
                try (SocketChannel client = server.accept()) {
                    String request = readLine(client);
                    requests.add(request);
                    String reply = answer.apply(request);
                    if (reply == null) {
                        Thread.sleep(1_000);
                        continue;
                    }
                    client.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException | InterruptedException closed) {
                    return;
                }
            }
        }, "helper-stand-in");
        serving.start();
        return socket;
    }

    private static String readLine(SocketChannel client) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (client.read(buffer) >= 0) {
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            if (text.indexOf('\n') >= 0) {
                return text.substring(0, text.indexOf('\n'));
            }
        }
        throw new IOException("client closed before a full line");
    }
}
