package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.DiskChangeExtent;
import com.vmware.vim25.DiskChangeInfo;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualDisk;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The simulator harness, driven from Java through yavijava as the agent drives vCenter: what the agent's
 * HotAdd tests rely on must hold here, or those tests would prove nothing.
 */
class HarnessSoapTest {
    private static final String PROXY = "DC0_H0_VM0";
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(PROXY).cbtBlock(64 << 10));

    private static HarnessSoap soap;

    @BeforeAll
    static void connect() {
        soap = new HarnessSoap(VCSIM.vcsim());
    }

    @AfterAll
    static void disconnect() {
        soap.close();
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static Vm newVm(String name, boolean cbt, long... capacities) {
        List<NewDisk> disks = new ArrayList<>();
        for (long c : capacities) {
            disks.add(NewDisk.thin(c));
        }
        return control().createVm(new NewVm(name, null, null, cbt, true, disks));
    }

    private static int proxyController() {
        return control().vm(PROXY).disks().get(0).controllerKey();
    }

    @Test
    void linkedCloneOnTheProxyShowsSnapshotTimeContentUntilTheGuestDeletesIt() throws Exception {
        Vm vm = newVm("web01", true, 16 * MIB);
        int key = vm.disks().get(0).key();
        control().writePattern("web01", key, 0, 3 * MIB, "random:before");
        String atSnapshot = control().hash("web01", key).sha256();
        String sourceFileBefore = control().vm("web01").disk(key).fileName();

        ManagedObjectReference snap = soap.snapshot(vm.moref(), "hotadd-test");
        control().writePattern("web01", key, MIB, MIB, "random:after");
        assertNotEquals(atSnapshot, control().hash("web01", key).sha256(), "the VM's own disk changed");
        assertEquals(atSnapshot, control().hashAtSnapshot("web01", key, snap.getVal()).sha256());

        String deltaBefore = control().vm("web01").disk(key).fileName();
        ManagedObjectReference clone = soap.linkedClone(vm.moref(), snap, "web01-clone");
        assertEquals(deltaBefore, control().vm("web01").disk(key).fileName(), "CloneVM must not touch the source");
        VirtualDisk cloneDisk = soap.disks(clone).get(0);
        assertEquals(sourceFileBefore, HarnessSoap.backing(cloneDisk).getParent().getFileName(),
                "a linked clone's disk is a child of the snapshot's disk");

        soap.attach(control().vm(PROXY).moref(), HarnessSoap.fileOf(cloneDisk), proxyController(), 1,
                "independent_nonpersistent");
        String uuid = HarnessSoap.backing(cloneDisk).getUuid();
        Path byId = VCSIM.vcsim().byIdDir().resolve("wwn-0x" + uuid.replace("-", "").toLowerCase());
        assertTrue(Files.exists(byId), "published as " + byId);
        Path sysBlock = VCSIM.vcsim().sysfsRoot().resolve("block").resolve(kernelName(byId));
        assertEquals(16 * MIB / 512, Long.parseLong(Files.readString(sysBlock.resolve("size")).trim()));
        assertEquals(atSnapshot, sha256(byId), "the device shows the snapshot-time content");

        control().writePattern("web01", key, 0, MIB, "random:later");
        assertEquals(atSnapshot, sha256(byId), "writes to the VM after the snapshot never reach the clone");

        Files.writeString(sysBlock.resolve("device/delete"), "1");
        awaitGone(byId);
        VirtualDisk onProxy = soap.disks(HarnessSoap.vm(control().vm(PROXY).moref())).stream()
                .filter(d -> HarnessSoap.fileOf(d).equals(HarnessSoap.fileOf(cloneDisk))).findFirst().orElseThrow();
        soap.detach(control().vm(PROXY).moref(), onProxy);
        assertTrue(control().devices().stream().noneMatch(d -> uuid.replace("-", "").equalsIgnoreCase(d.uuid())));

        soap.destroy(clone);
        soap.removeSnapshot(snap);
        assertTrue(control().violations().isEmpty(), "violations: " + control().violations());
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
    }

    @Test
    void detachingWithoutTheGuestDeleteIsRecordedAsAViolation() {
        Vm vm = newVm("db01", false, 4 * MIB);
        ManagedObjectReference snap = soap.snapshot(vm.moref(), "s");
        ManagedObjectReference clone = soap.linkedClone(vm.moref(), snap, "db01-clone");
        VirtualDisk cloneDisk = soap.disks(clone).get(0);
        String proxy = control().vm(PROXY).moref();
        soap.attach(proxy, HarnessSoap.fileOf(cloneDisk), proxyController(), 2, "independent_nonpersistent");
        VirtualDisk onProxy = soap.disks(HarnessSoap.vm(proxy)).stream()
                .filter(d -> HarnessSoap.fileOf(d).equals(HarnessSoap.fileOf(cloneDisk))).findFirst().orElseThrow();
        assertFalse(control().leftovers().clean(), "an attached foreign disk is a leftover");
        assertEquals(1, control().leftovers().proxyDisks().size());

        soap.detach(proxy, onProxy);
        assertTrue(control().violations().stream().anyMatch(v -> v.kind().equals("detach-before-guest-delete")
                && HarnessSoap.backing(cloneDisk).getUuid().replace("-", "").equalsIgnoreCase(v.disk().replace("-", ""))),
                "violations: " + control().violations() + " clone disk " + HarnessSoap.backing(cloneDisk).getUuid());
        soap.destroy(clone);
        soap.removeSnapshot(snap);
    }

    @Test
    void changedAreasAreExactToTheBlockForAKnownWritePattern() {
        Vm vm = newVm("app01", true, 8 * MIB);
        int key = vm.disks().get(0).key();
        control().writePattern("app01", key, 0, 100, "byte:7");
        ManagedObjectReference first = soap.snapshot(vm.moref(), "first");
        String changeId = changeIdOf(first, key);
        control().writePattern("app01", key, 64 << 10, 100, "byte:1");            // inside block 1
        control().writePattern("app01", key, MIB + 10, 70_000, "byte:2");         // spans blocks 16 and 17
        control().writePattern("app01", key, 8 * MIB - 512, 512, "byte:3");      // the last block
        ManagedObjectReference second = soap.snapshot(vm.moref(), "second");

        assertEquals(List.of(List.of(64L << 10, 64L << 10), List.of(MIB, 128L << 10),
                List.of(8 * MIB - (64 << 10), 64L << 10)), areas(vm.moref(), second, key, changeId));
        assertEquals(List.of(List.of(0L, 64L << 10)), areas(vm.moref(), first, key, "*"),
                "allocated areas at the first snapshot: only the first block was ever written");
        soap.removeSnapshot(second);
        soap.removeSnapshot(first);
    }

    private String changeIdOf(ManagedObjectReference snapshot, int key) {
        return control().vm("app01").snapshots().stream().filter(s -> s.moref().equals(snapshot.getVal()))
                .findFirst().orElseThrow().changeIds().get(String.valueOf(key));
    }

    private static List<List<Long>> areas(String vm, ManagedObjectReference snap, int key, String changeId) {
        DiskChangeInfo info = soap.session.call("query changed areas", vm,
                (vim, sc) -> vim.queryChangedDiskAreas(HarnessSoap.vm(vm), snap, key, 0, changeId));
        List<List<Long>> out = new ArrayList<>();
        for (DiskChangeExtent e : info.getChangedArea() == null ? new DiskChangeExtent[0] : info.getChangedArea()) {
            out.add(List.of(e.getStart(), e.getLength()));
        }
        return out;
    }

    /** udev's link names the kernel device: /dev/loopN (loop mode) or ../../sdX (file mode). */
    private static String kernelName(Path byId) throws IOException {
        return Files.readSymbolicLink(byId).getFileName().toString();
    }

    private static String sha256(Path device) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(device)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void awaitGone(Path link) throws InterruptedException {
        for (int i = 0; i < 100 && Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS); i++) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS), link + " still there after delete");
    }
}
