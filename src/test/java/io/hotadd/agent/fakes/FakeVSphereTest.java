package io.hotadd.agent.fakes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations.CloneSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * vCenter rules the fake models beyond what the VSphere contract checks (see docs/vcsim-harness.md for the
 * harness's side of most of them), so engine tests meet them as the agent would in production.
 */
class FakeVSphereTest {
    private static final long MIB = 1 << 20;

    private final FakeVSphere vc = new FakeVSphere();
    private final FakeVm proxy = vc.addVm("proxy", MIB);
    private final FakeVm web = vc.addVm("web", 4 * MIB);
    private final VmRef ref = new VmRef(web.moref);

    private String disk(VmRef vm) {
        return vc.read(vm).orElseThrow().disks().get(0).fileName();
    }

    private VmRef clone(SnapshotRef snapshot, String name, String folder) {
        VmInfo info = vc.read(ref).orElseThrow();
        return vc.createLinkedClone(ref, snapshot, new CloneSpec(name, folder, info.resourcePool(), "", Map.of()));
    }

    @Test
    void removingAnOlderSnapshotFoldsItsRedoLogAndEverythingOnItFollows() {
        SnapshotRef first = vc.createSnapshot(ref, "first", "", false);
        SnapshotRef second = vc.createSnapshot(ref, "second", "", false);
        assertEquals("[ds1] web/web-000002.vmdk", disk(ref));
        VmRef clone = clone(second, "web-clone", FakeVSphere.VM_FOLDER);
        assertEquals("[ds1] web/web-000001.vmdk", vc.read(clone).orElseThrow().disks().get(0).parentFileName());

        vc.removeSnapshot(first);
        assertEquals("[ds1] web/web.vmdk", vc.snapshotDisks(ref, second).get(0).fileName());
        assertEquals("[ds1] web/web.vmdk", vc.read(ref).orElseThrow().disks().get(0).parentFileName());
        assertEquals("[ds1] web/web.vmdk", vc.read(clone).orElseThrow().disks().get(0).parentFileName());
        assertEquals(List.of(), vc.violations(), "a clone of a later snapshot does not hold the earlier one");
        SnapshotRef third = vc.createSnapshot(ref, "third", "", false);
        assertEquals("[ds1] web/web-000001.vmdk", disk(ref), "ESXi reuses the lowest free redo log number");
        vc.destroy(clone);
        vc.removeSnapshot(third);
        vc.removeSnapshot(second);
        assertEquals("[ds1] web/web.vmdk", disk(ref));
    }

    @Test
    void aDisabledMethodFailsUntilEverySourceThatDisabledItEnablesIt() {
        vc.disableMethods(ref, List.of("CreateSnapshot_Task"), "other-product");
        vc.disableMethods(ref, List.of("CreateSnapshot_Task"), "io.hotadd.agent");
        vc.enableMethods(ref, List.of("CreateSnapshot_Task"), "io.hotadd.agent");
        VSphereException.MethodDisabled e = assertThrows(VSphereException.MethodDisabled.class,
                () -> vc.createSnapshot(ref, "s", "", false));
        assertEquals("other-product", e.source().orElseThrow());
        assertTrue(e.isRetriable());
        vc.enableMethods(ref, List.of("CreateSnapshot_Task"), "other-product");
        vc.removeSnapshot(vc.createSnapshot(ref, "s", "", false));
    }

    @Test
    void aCloneNeedsAnExistingFolderAndANameThatIsFreeThere() {
        SnapshotRef snapshot = vc.createSnapshot(ref, "s", "", false);
        assertThrows(VSphereException.NotFound.class, () -> clone(snapshot, "c", "group-v404"));
        VSphereException.Fault taken = assertThrows(VSphereException.Fault.class,
                () -> clone(snapshot, "web", FakeVSphere.VM_FOLDER));
        assertEquals("DuplicateName", taken.faultType());
        VmRef elsewhere = clone(snapshot, "web", vc.addVmFolder("other"));
        assertEquals(Map.of(), vc.read(elsewhere).orElseThrow().extraConfig());
    }

    @Test
    void runningVmsCannotBeDestroyedAndTheirOpenDisksCannotBeHotAdded() {
        assertEquals("InvalidPowerState", assertThrows(VSphereException.InvalidState.class,
                () -> vc.destroy(ref)).faultType());
        DiskInfo live = vc.read(ref).orElseThrow().disks().get(0);
        DiskAttachment attachment = new DiskAttachment(live.fileName(), 1000, 1, DiskMode.INDEPENDENT_NONPERSISTENT,
                live.capacityBytes());
        assertThrows(VSphereException.FileLocked.class,
                () -> vc.attachDisks(new VmRef(proxy.moref), List.of(attachment)));
        assertEquals(1, vc.read(new VmRef(proxy.moref)).orElseThrow().disks().size(), "nothing was attached");
    }

    @Test
    void changeIdsLaterThanTheSnapshotOrWithoutTrackingAreRejected() {
        SnapshotRef untracked = vc.createSnapshot(ref, "untracked", "", false);
        assertThrows(VSphereException.ChangeIdRejected.class, () -> vc.changedAreas(ref, untracked, 2000, 4 * MIB, "*"));
        vc.removeSnapshot(untracked);
        vc.setChangeTracking(ref, true);
        SnapshotRef early = vc.createSnapshot(ref, "early", "", false);
        vc.guestWrite(web, 2000, 0, new byte[] {1});
        String now = vc.read(ref).orElseThrow().disks().get(0).changeId();
        assertThrows(VSphereException.ChangeIdRejected.class, () -> vc.changedAreas(ref, early, 2000, 4 * MIB, now));
        assertEquals(List.of(new io.hotadd.agent.domain.Extent(0, 64 * 1024)),
                vc.changedAreas(ref, vc.createSnapshot(ref, "late", "", false), 2000, 4 * MIB,
                        vc.snapshotDisks(ref, early).get(0).changeId()), "whole CBT blocks");
    }

    @Test
    void removingASnapshotWhoseCloneTheProxyStillReadsIsAViolation() {
        SnapshotRef snapshot = vc.createSnapshot(ref, "s", "", false);
        VmRef clone = clone(snapshot, "web-clone", FakeVSphere.VM_FOLDER);
        DiskInfo d = vc.read(clone).orElseThrow().disks().get(0);
        vc.attachDisks(new VmRef(proxy.moref), List.of(new DiskAttachment(d.fileName(), 1000, 1,
                DiskMode.INDEPENDENT_NONPERSISTENT, d.capacityBytes())));
        vc.removeSnapshot(snapshot);
        assertEquals(2, vc.violations().size(), "the clone and the proxy both read it: " + vc.violations());
    }
}
