package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.port.BlockDevices;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.port.BlockSource;
import io.hotadd.agent.port.BlockTarget;
import io.hotadd.agent.port.GuestDisks;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy's Linux in memory: disks appear when {@link FakeVSphere} attaches them to the proxy VM and must
 * be released (device deleted) before they are detached, or a violation is recorded.
 */
public final class FakeGuestDisks implements GuestDisks, BlockDevices, FakeVSphere.ProxyListener {
    /** A write touching this offset fails with an I/O error (-1: none). */
    public volatile long failWritesAtOffset = -1;
    private final String proxyMoref;
    private final Map<String, Visible> disks = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int nextName;
    public volatile int failReadsAtOffset = -1;

    private record Visible(Disk disk, int bus, String name, boolean released) {
    }

    public FakeGuestDisks(FakeVSphere vc, String proxyMoref) {
        this.proxyMoref = proxyMoref;
        vc.addProxyListener(this);
    }

    @Override
    public synchronized void attached(String vm, Disk disk, int bus) {
        if (vm.equals(proxyMoref)) {
            disks.put(GuestDisk.canonicalUuid(disk.uuid), new Visible(disk, bus, "sd" + (char) ('a' + nextName++), false));
        }
    }

    @Override
    public synchronized void detached(String vm, Disk disk) {
        if (vm.equals(proxyMoref)) {
            Visible v = disks.remove(GuestDisk.canonicalUuid(disk.uuid));
            if (v != null && !v.released()) {
                violations.add("detach-before-guest-delete: " + disk.fileName + " (" + v.name() + ")");
            }
        }
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    @Override
    public synchronized GuestDisk locate(String uuid, long expectedBytes, Optional<String> anchor, boolean readOnly,
                                         Duration deadline) {
        GuestDisk d = find(uuid).orElseThrow(() -> new IllegalStateException("disk " + uuid
                + " did not appear in the guest"));
        if (d.sizeBytes() != expectedBytes) {
            throw new IllegalStateException("disk " + uuid + " has " + d.sizeBytes() + " bytes, expected " + expectedBytes);
        }
        return d;
    }

    @Override
    public synchronized Optional<GuestDisk> find(String uuid) {
        Visible v = disks.get(GuestDisk.canonicalUuid(uuid));
        if (v == null || v.released()) {
            return Optional.empty();
        }
        return Optional.of(new GuestDisk(GuestDisk.canonicalUuid(uuid), Path.of("/fake/dev/" + v.name()), v.name(),
                v.bus(), v.disk().unit, v.disk().capacity, true));
    }

    @Override
    public synchronized void release(String uuid, Duration deadline) {
        disks.computeIfPresent(GuestDisk.canonicalUuid(uuid), (k, v) -> new Visible(v.disk(), v.bus(), v.name(), true));
    }

    @Override
    public synchronized List<GuestDisk> visible() {
        return disks.keySet().stream().map(this::find).flatMap(Optional::stream).toList();
    }

    @Override
    public synchronized BlockSource openForRead(GuestDisk disk) {
        Visible v = disks.get(disk.uuid());
        if (v == null || v.released()) {
            throw new IllegalStateException("no device for " + disk.uuid());
        }
        byte[] bytes = v.disk().content.bytes;
        return new BlockSource() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public int alignment() {
                return 512;
            }

            @Override
            public void read(long offset, ByteBuffer buffer) {
                if (offset == failReadsAtOffset) {
                    throw new IllegalStateException("EIO reading " + disk.name() + " at " + offset);
                }
                buffer.put(bytes, Math.toIntExact(offset), buffer.remaining());
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Writes land in the disk file's content (restore writes are not CBT-logged). Only a disk attached in a
     * persistent mode is writable, as the harness publishes it.
     */
    @Override
    public synchronized BlockTarget openForWrite(GuestDisk disk) {
        Visible v = disks.get(disk.uuid());
        if (v == null || v.released()) {
            throw new IllegalStateException("no device for " + disk.uuid());
        }
        DiskMode mode = v.disk().mode;
        if (mode != DiskMode.PERSISTENT && mode != DiskMode.INDEPENDENT_PERSISTENT) {
            throw new IllegalStateException(disk.name() + " is attached " + mode.wire() + ", read-only to the guest");
        }
        return new ContentTarget(v.disk(), disk.name());
    }

    /** A fake O_DIRECT target on a disk's content: 512-byte alignment enforced, like a real device. */
    private final class ContentTarget implements BlockTarget {
        private final Disk disk;
        private final String name;

        ContentTarget(Disk disk, String name) {
            this.disk = disk;
            this.name = name;
        }

        @Override
        public long size() {
            return disk.capacity;
        }

        @Override
        public int alignment() {
            return 512;
        }

        @Override
        public void write(long offset, ByteBuffer buffer) {
            int length = buffer.remaining();
            if (offset % 512 != 0 || (length % 512 != 0 && offset + length != disk.capacity) || !buffer.isDirect()) {
                throw new IllegalArgumentException("unaligned O_DIRECT write of " + length + " at " + offset);
            }
            long failAt = failWritesAtOffset;
            if (failAt >= offset && failAt < offset + length) {
                throw new IllegalStateException("EIO writing " + name + " at " + offset);
            }
            byte[] data = new byte[length];
            buffer.get(data);
            disk.content.write(0, offset, data);
        }

        @Override
        public void zeroOut(long offset, long length) {
            disk.content.zero(offset, length);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
