package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.RestoreRefused;
import io.hotadd.agent.engine.RestoreTarget;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores over the disks of existing VMs and to image files, through the production engine against the
 * harness: the disks end exactly as the restore point (what it held as holes cleared), a running VM is
 * refused before anything changes, and nothing is left on the proxy or locked on the VM.
 */
class DiskRestoreHarnessTest {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY)
            .cbtBlock(64 << 10));

    @TempDir
    static Path repoDir;
    @TempDir
    static Path exports;
    @TempDir
    Path images;

    private static RestoreHarness h;

    @BeforeAll
    static void start() {
        h = new RestoreHarness(VCSIM.vcsim(), repoDir, exports);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations(), "ordering violations");
        assertTrue(h.engine.slots.reserved().isEmpty());
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static String backedUp(String name) {
        Vm vm = control().createVm(new NewVm(name, null, null, true, true, List.of(NewDisk.thin(16 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), MIB, 2 * MIB, "random:" + name);
        control().writePattern(name, vm.disks().get(0).key(), 9 * MIB, 4096, "text:" + name);
        return h.engine.backup("b-" + name, name, BackupMode.FULL, JobObserver.NONE).restorePointId();
    }

    /** A VM whose disk holds other data all over, so anything the restore misses shows in the hash. */
    private static Vm scribbled(String name, boolean powerOn, boolean cbt) {
        Vm vm = control().createVm(new NewVm(name, null, null, cbt, powerOn, List.of(NewDisk.thin(16 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), 0, 16 * MIB, "random:old-" + name);
        return vm;
    }

    private static RestoreTarget.ExistingVm onto(String vm, int sourceKey, int targetKey) {
        return new RestoreTarget.ExistingVm(new VmSelector.ByName(vm),
                List.of(new RestoreTarget.DiskMapping(sourceKey, targetKey)));
    }

    @Test
    void aPoweredOffVmsDiskIsOverwrittenExactlyAndItsTrackingStartsAfresh() {
        String point = backedUp("src");
        int sourceKey = control().vm("src").disks().get(0).key();
        Vm target = scribbled("dst", false, true);
        int targetKey = target.disks().get(0).key();
        String trackingBefore = control().vm("dst").disk(targetKey).changeId();

        h.engine.restore("r-dst", point, onto("dst", sourceKey, targetKey), JobObserver.NONE);

        assertEquals(h.exportedHash(point, sourceKey), control().hash("dst", targetKey).sha256(),
                "the whole disk equals the restore point, holes included");
        Vm after = control().vm("dst");
        assertTrue(after.cbt(), "change tracking back on");
        assertNotEquals(trackingBefore.split("/")[0], after.disk(targetKey).changeId().split("/")[0],
                "a new tracking id: the next backup reads the disk in full");
        String reconfigs = String.join("\n", control().requests("ReconfigVM_Task").stream().map(q -> q.body())
                .filter(b -> b.contains(">" + target.moref() + "<")).toList());
        assertTrue(reconfigs.contains("<changeTrackingEnabled>false</changeTrackingEnabled>"), reconfigs);
    }

    @Test
    void aRunningVmIsRefusedByNameWithTheRemedyAndNothingIsTouched() {
        String point = backedUp("src2");
        Vm live = scribbled("live", true, false);
        String before = control().hash("live", live.disks().get(0).key()).sha256();
        control().resetCalls();

        RestoreRefused e = assertThrows(RestoreRefused.class, () -> h.engine.restore("r-live", point,
                onto("live", control().vm("src2").disks().get(0).key(), live.disks().get(0).key()),
                JobObserver.NONE));
        assertEquals("target-powered-on", e.reason());
        assertTrue(e.getMessage().contains("'live'") && e.getMessage().contains(live.moref())
                && e.getMessage().contains("power it off"), e.getMessage());
        assertEquals(before, control().hash("live", live.disks().get(0).key()).sha256());
        Map<String, Long> calls = control().calls();
        for (String sideEffect : List.of("DisableMethods", "CreateVM_Task", "PowerOffVM_Task")) {
            assertFalse(calls.containsKey(sideEffect), sideEffect + " was called: " + calls);
        }
    }

    @Test
    void aDiskBecomesARawImageFileThatHashesLikeTheRestorePoint() {
        String point = backedUp("src3");
        int key = control().vm("src3").disks().get(0).key();
        Path image = images.resolve("src3.img");
        h.engine.restore("r-img", point, new RestoreTarget.Image(image, key), JobObserver.NONE);
        assertEquals(control().hash("src3", key).sha256(), RestoreHarness.sha256(image),
                "the image is the disk as it was backed up");
    }
}
