package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereRestoreContract;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The VSphere contracts (backup and restore) against the yavijava adapter on the project's vCenter simulator harness. A CBT window
 * of 4 MiB and at most 3 extents per answer make every changed-areas query page through several windows.
 */
class YavijavaVSphereHarnessTest extends VSphereRestoreContract {

    private static final long CBT_BLOCK = 64 * 1024;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessWorld.PROXY)
            .cbtBlock(CBT_BLOCK).cbtWindow(4 * MIB).cbtMaxExtents(3));

    private static HarnessWorld world;
    private static String otherFolder;

    @BeforeAll
    static void connect() {
        world = HarnessWorld.open(VCSIM.vcsim(), VSphereAdapterOptions.defaults());
        otherFolder = world.createVmFolder("contract-elsewhere");
    }

    @AfterAll
    static void disconnect() {
        if (world != null) {
            world.close();
        }
    }

    @Override
    protected VSphere vsphere() {
        return world.vsphere;
    }

    @Override
    protected VmRef createVm(String name, List<Long> diskBytes, boolean cbt) {
        return world.createVm(name, diskBytes, cbt);
    }

    @Override
    protected void writeGuest(VmRef vm, int diskKey, long offset, byte[] data) {
        world.writeGuest(vm, diskKey, offset, data);
    }

    @Override
    protected VmRef proxy() {
        return world.proxy();
    }

    @Override
    protected String newFileOnProxyDatastore(String fileName) {
        return world.newFileOnProxyDatastore(fileName);
    }

    @Override
    protected String otherVmFolder() {
        return otherFolder;
    }

    @Override
    protected void releaseInGuest(DiskInfo attached) {
        world.releaseInGuest(attached);
    }

    @Override
    protected Runnable startForeignTask(VmRef vm, String descriptionId) {
        String task = world.vsphere.createTask(vm, descriptionId, "another backup product", false);
        world.vsphere.taskRunning(task);
        return () -> world.vsphere.taskFinished(task, null);
    }

    @Override
    protected long changeGranularity() {
        return CBT_BLOCK;
    }

    @Override
    protected void powerOffForCleanup(VmRef vm) {
        world.powerOff(vm);
    }

    @Override
    protected void deleteFile(String datastorePath) {
        world.deleteFile(datastorePath);
    }

    @Override
    protected void afterCleanup() {
        world.assertClean();
    }

    /** The harness answers at most 4 MiB (and 3 extents) per call, so a 16 MiB disk takes at least 4 pages. */
    @Test
    void changedAreasPageThroughTheHarnessWindows() {
        VmRef vm = createVm(uniqueName("paging"), List.of(16 * MIB), true);
        int key = vsphere().read(vm).orElseThrow().disks().get(0).key();
        for (long offset = 0; offset < 16 * MIB; offset += 2 * MIB) {
            writeGuest(vm, key, offset, new byte[] {1});
        }
        SnapshotRef snapshot = vsphere().createSnapshot(vm, "paging", "", false);
        try {
            world.control().resetCalls();
            List<Extent> areas = vsphere().changedAreas(vm, snapshot, key, 16 * MIB, "*");
            assertEquals(8, areas.size(), areas.toString());
            assertTrue(world.control().calls().get("QueryChangedDiskAreas") >= 4, world.control().calls().toString());
        } finally {
            vsphere().removeSnapshot(snapshot);
        }
    }
}
