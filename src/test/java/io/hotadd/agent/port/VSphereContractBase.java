package io.hotadd.agent.port;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;

/**
 * The world a {@link VSphereContract} runs in, provided by each subclass, and the helpers its tests share.
 * Everything a test creates through the port is undone after it (in reverse order, with the port's own
 * idempotent removals), then {@link #afterCleanup()} lets the subclass check that nothing is left over.
 */
public abstract class VSphereContractBase {

    protected static final long MIB = 1024 * 1024;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final Deque<Runnable> cleanup = new ArrayDeque<>();

    /** The implementation under test. */
    protected abstract VSphere vsphere();

    /** A new powered-on VM with thin disks of these sizes on one PVSCSI controller, CBT on or off. */
    protected abstract VmRef createVm(String name, List<Long> diskBytes, boolean cbt);

    /** The VM's guest writes {@code data} at {@code offset} of the disk with device key {@code diskKey}. */
    protected abstract void writeGuest(VmRef vm, int diskKey, long offset, byte[] data);

    /** The backup proxy VM, which has a PVSCSI controller at bus 0. */
    protected abstract VmRef proxy();

    /** A datastore path for a new file next to the proxy's own files, e.g. {@code [ds] proxy/x.vmdk}. */
    protected abstract String newFileOnProxyDatastore(String fileName);

    /** A VM folder other than the one {@link #createVm} puts VMs in (VM names are unique per folder). */
    protected abstract String otherVmFolder();

    /** The proxy's guest lets go of a hot-added disk, as the agent does before detaching it. */
    protected abstract void releaseInGuest(DiskInfo attached);

    /**
     * Someone else starts a task on the VM (a snapshot by another product, say) that stays running until the
     * returned action ends it.
     */
    protected abstract Runnable startForeignTask(VmRef vm, String descriptionId);

    /** The granularity of changed areas (CBT block size); extents may be rounded out to it. */
    protected abstract long changeGranularity();

    /** Runs after every test's cleanup, e.g. to check that the implementation holds no leftovers. */
    protected void afterCleanup() {
    }

    protected final void onCleanup(Runnable step) {
        cleanup.push(step);
    }

    @AfterEach
    final void undoWhatTheTestMade() {
        List<Throwable> failures = new ArrayList<>();
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().run();
            } catch (RuntimeException | AssertionError e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("cleanup failed: " + failures.get(0), failures.get(0));
            failures.stream().skip(1).forEach(error::addSuppressed);
            throw error;
        }
        afterCleanup();
    }

    protected static String uniqueName(String what) {
        return "contract-" + what + "-" + NAMES.incrementAndGet();
    }

    /** A snapshot without quiescing, removed after the test. */
    protected final SnapshotRef snapshot(VmRef vm, String name) {
        SnapshotRef snapshot = vsphere().createSnapshot(vm, name, "", false);
        onCleanup(() -> vsphere().removeSnapshot(snapshot));
        return snapshot;
    }

    /** A linked clone in the source's resource pool, destroyed after the test. */
    protected final VmRef linkedClone(VmRef source, SnapshotRef snapshot, String name, String folder,
                                      Map<String, String> markers) {
        VmInfo info = vsphere().read(source).orElseThrow();
        VmRef clone = vsphere().createLinkedClone(source, snapshot, new VmOperations.CloneSpec(name, folder,
                info.resourcePool(), "made by the VSphere contract", markers));
        onCleanup(() -> vsphere().destroy(clone));
        return clone;
    }

    /** The disks at free units of the proxy's bus-0 PVSCSI controller, read-only (redo log) mode. */
    protected final List<ProxyDevices.DiskAttachment> attachmentsOnProxy(List<DiskInfo> disks) {
        return attachmentsAtFreeUnits(vsphere().read(proxy()).orElseThrow(), disks);
    }

    /** Free units of {@code proxy}'s bus-0 PVSCSI controller for {@code disks}, redo log mode. */
    public static List<ProxyDevices.DiskAttachment> attachmentsAtFreeUnits(VmInfo proxy, List<DiskInfo> disks) {
        ControllerInfo controller = proxy.controllers().stream()
                .filter(c -> c.type() == ControllerType.PVSCSI && c.busNumber() == 0).findFirst()
                .orElseThrow(() -> new AssertionError("the proxy has no PVSCSI controller at bus 0"));
        Set<Integer> used = new HashSet<>();
        proxy.disks().stream().filter(d -> d.controllerKey() == controller.key())
                .forEach(d -> used.add(d.unitNumber()));
        List<ProxyDevices.DiskAttachment> attachments = new ArrayList<>();
        int unit = 0;
        for (DiskInfo disk : disks) {
            while (used.contains(unit) || unit == ScsiSlot.CONTROLLER_UNIT) {
                unit++;
            }
            attachments.add(new ProxyDevices.DiskAttachment(disk.fileName(), controller.key(), unit++,
                    DiskMode.INDEPENDENT_NONPERSISTENT, disk.capacityBytes()));
        }
        return attachments;
    }

    /** Hot-adds, and after the test releases and detaches whatever is still attached. */
    protected final List<DiskInfo> attach(List<ProxyDevices.DiskAttachment> disks) {
        List<DiskInfo> attached = vsphere().attachDisks(proxy(), disks);
        onCleanup(() -> detach(attached));
        return attached;
    }

    /** As the agent does it: the guest lets go first, then the proxy's hardware changes. */
    protected final void detach(List<DiskInfo> attached) {
        attached.forEach(this::releaseInGuest);
        vsphere().detachDisks(proxy(), attached.stream().map(DiskInfo::key).toList());
    }

    /** Reproducible bytes that are not all zero. */
    protected static byte[] pattern(long length, int seed) {
        byte[] data = new byte[Math.toIntExact(length)];
        new Random(seed).nextBytes(data);
        return data;
    }

    protected static void assertCovers(List<Extent> extents, Extent written) {
        long covered = 0;
        for (Extent e : extents) {
            long start = Math.max(e.offset(), written.offset());
            long end = Math.min(e.end(), written.end());
            covered += Math.max(0, end - start);
        }
        if (covered != written.length()) {
            fail("changed areas " + extents + " do not cover the write " + written);
        }
    }

    protected static void assertDisjoint(List<Extent> extents, Extent untouched) {
        for (Extent e : extents) {
            assertTrue(e.end() <= untouched.offset() || e.offset() >= untouched.end(),
                    "changed areas " + extents + " include " + untouched + ", which was not written in that span");
        }
    }
}
