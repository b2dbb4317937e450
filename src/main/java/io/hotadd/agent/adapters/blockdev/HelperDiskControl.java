package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@link DiskControl} through the appliance's root helper (appliance/usr/libexec/hotadd-agent/hotadd-helper,
 * socket-activated by systemd/hotadd-helper.socket). One connection per operation; the protocol is one
 * ASCII line each way:
 *
 * <pre>
 *   agent:  scan 2 | delete sdc | roset sdc | rwset sdc
 *   helper: ok | error &lt;reason&gt;
 * </pre>
 *
 * The helper refuses anything but a VMware virtual disk that holds no mounted filesystem, swap or holder
 * (so never the proxy's own disks) and SCSI hosts of VMware controllers. Names are checked here as well, so
 * a bad name fails with a clear message before it reaches the helper.
 */
final class HelperDiskControl implements DiskControl {

    private static final Pattern DISK_NAME = Pattern.compile("sd[a-z]{1,3}");
    // A reply is one short line; anything longer is not the helper speaking.
    private static final int MAX_REPLY = 1024;

    private final Path socket;
    private final Duration timeout;

    HelperDiskControl(Path socket, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("helper timeout must be positive, was " + timeout);
        }
        this.socket = socket;
        this.timeout = timeout;
    }

    @Override
    public void rescan(int host) throws IOException {
        if (host < 0) {
            throw new IllegalArgumentException("SCSI host number must not be negative, was " + host);
        }
        call("scan " + host);
    }

    @Override
    public void delete(String name) throws IOException {
        call("delete " + checkedName(name));
    }

    @Override
    public void setReadOnly(String name, Path device, boolean readOnly) {
        String request = (readOnly ? "roset " : "rwset ") + checkedName(name);
        try {
            call(request);
        } catch (IOException e) {
            throw new BlockDeviceException(e.getMessage(), !(e instanceof HelperRefused), e);
        }
    }

    @Override
    public String describe() {
        return "the root helper at " + socket;
    }

    /** The helper answered "error ...": a decision, not a transport problem, so not worth retrying. */
    static final class HelperRefused extends IOException {
        HelperRefused(String message) {
            super(message);
        }
    }

    private static String checkedName(String name) {
        if (!DISK_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a SCSI disk name (sdX); the helper acts on"
                    + " whole SCSI disks only");
        }
        return name;
    }

    private void call(String request) throws IOException {
        String reply;
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((request + "\n").getBytes(StandardCharsets.US_ASCII)));
            reply = readLine(channel, request);
        } catch (HelperRefused | SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("'" + request + "' could not be sent to " + describe() + ": " + e
                    + " (is hotadd-helper.socket running, and is the agent in group hotadd?)", e);
        }
        if (reply.equals("ok")) {
            return;
        }
        String reason = reply.startsWith("error ") ? reply.substring("error ".length()) : "unexpected reply '"
                + reply + "'";
        throw new HelperRefused(describe() + " refused '" + request + "': " + reason);
    }

    /** Reads up to the first newline (or the helper closing), waiting at most {@link #timeout} in all. */
    private String readLine(SocketChannel channel, String request) throws IOException {
        channel.configureBlocking(false);
        ByteBuffer buffer = ByteBuffer.allocate(MAX_REPLY);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException(describe() + " did not answer '" + request + "' within "
                            + timeout);
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                int read = channel.read(buffer);
                String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
                int newline = text.indexOf('\n');
                if (newline >= 0) {
                    return text.substring(0, newline).trim();
                }
                if (read < 0 || !buffer.hasRemaining()) {
                    return text.trim();
                }
            }
        }
    }
}
