package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.engine.BackupResult;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.PreflightRefused;
import io.hotadd.agent.fakes.MemoryRepository;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Backups through the production engine and adapters against the simulator harness: what is stored equals
 * the snapshot-time content, incrementals read exactly the changed blocks, and nothing is ever left behind.
 */
class HotAddBackupHarnessTest {
    private static final long MIB = 1 << 20;
    private static final int BLOCK = 64 << 10;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY)
            .cbtBlock(BLOCK));

    private static final MemoryRepository REPO = new MemoryRepository(BLOCK);
    private static HarnessEngine engine;

    @BeforeAll
    static void start() {
        engine = new HarnessEngine(VCSIM.vcsim(), REPO);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations(), "ordering violations");
        assertTrue(engine.slots.reserved().isEmpty());
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    private static Vm vm(String name, boolean cbt, long... capacities) {
        List<NewDisk> disks = new ArrayList<>();
        for (long c : capacities) {
            disks.add(NewDisk.thin(c));
        }
        return control().createVm(new NewVm(name, null, null, cbt, true, disks));
    }

    private static void assertStored(BackupResult r, String vm, int key) throws Exception {
        String stored = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(REPO.imageBytes(r.restorePointId(), key)));
        assertEquals(control().hash(vm, key).sha256(), stored, "disk " + key + " of " + vm);
    }

    @Test
    void fullThenIncrementalOfAThreeDiskVmStoreExactContentAndReadExactlyTheChanges() throws Exception {
        Vm vm = vm("app", true, 64 * MIB, 32 * MIB, 16 * MIB);
        int thin = vm.disks().get(0).key();
        int zeroed = vm.disks().get(1).key();
        int unchanged = vm.disks().get(2).key();
        control().writePattern("app", thin, 10 * MIB, MIB, "random:a");
        control().writePattern("app", zeroed, 0, 16 * MIB, "zero");
        control().writePattern("app", zeroed, 20 * MIB, MIB, "random:b");
        control().writePattern("app", unchanged, 0, 2 * MIB, "text:c");

        BackupResult full = engine.backup("full-1", "app", BackupMode.AUTO);
        assertTrue(full.full());
        assertEquals(MIB + 17 * MIB + 2 * MIB, full.bytesRead(), "allocated areas only (zero-filled ones included)");
        for (int key : List.of(thin, zeroed, unchanged)) {
            assertStored(full, "app", key);
        }

        control().writePattern("app", thin, 10 * MIB + 100, 10, "byte:1");      // 1 block
        control().writePattern("app", zeroed, 20 * MIB, BLOCK, "zero");          // data becomes zeros: a hole
        control().writePattern("app", zeroed, 31 * MIB, 2 * BLOCK, "random:d");  // 2 new blocks
        BackupResult incr = engine.backup("incr-1", "app", BackupMode.AUTO);
        assertFalse(incr.full());
        assertEquals(4L * BLOCK, incr.bytesRead(), "exactly the four changed 64 KiB blocks");
        for (int key : List.of(thin, zeroed, unchanged)) {
            assertStored(incr, "app", key);
        }
    }

    @Test
    void guestWritesDuringTheBackupNeverReachIt() throws Exception {
        Vm vm = vm("busy", true, 8 * MIB);
        int key = vm.disks().get(0).key();
        control().writePattern("busy", key, 0, 4 * MIB, "random:before");
        String atStart = control().hash("busy", key).sha256();
        JobObserver writesWhileReading = new JobObserver() {
            public void phase(JobPhase p) {
                if (p == JobPhase.READING) {
                    control().writePattern("busy", key, 0, 4 * MIB, "random:during");
                }
            }

            public void disksPlanned(List<DiskProgress> d) {
            }

            public void bytesRead(int k, long b) {
            }

            public void warning(String m) {
            }
        };
        BackupResult r = engine.backup("busy-1", "busy", BackupMode.FULL, writesWhileReading);
        String stored = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(REPO.imageBytes(r.restorePointId(), key)));
        assertEquals(atStart, stored);
    }

    @Test
    void fortyDisksInConcurrentJobsNeverCollideOnASlot() throws Exception {
        for (int i = 0; i < 10; i++) {
            Vm vm = vm("c" + i, true, MIB, MIB, MIB, MIB);
            vm.disks().forEach(d -> control().writePattern(vm.name(), d.key(), 0, BLOCK, "random:" + vm.name()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<BackupResult>> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String name = "c" + i;
            jobs.add(pool.submit(() -> engine.backup("par-" + name, name, BackupMode.FULL)));
        }
        for (int i = 0; i < 10; i++) {
            BackupResult r = jobs.get(i).get();
            assertEquals(List.of(), r.warnings());
            assertStored(r, "c" + i, control().vm("c" + i).disks().get(3).key());
        }
        pool.shutdown();
        assertTrue(control().rescans().isEmpty(), "every disk showed up without a rescan");
    }

    @Test
    void everyPreflightRefusalHappensWithNothingCreated() {
        vm("ide", false, MIB);
        control().createVm(new NewVm("mixed", null, null, false, true, List.of(NewDisk.thin(MIB),
                new NewDisk(MIB, true, "sata", "persistent"))));
        control().createVm(new NewVm("nvme", null, null, false, true, List.of(new NewDisk(MIB, true, "nvme",
                "persistent"))));
        engine.ensureProxyLayout(); // the proxy's own spare controllers may be built on first use; not the target's
        control().resetCalls();
        Map<String, String> expected = Map.of("mixed", "non-scsi-disk", "nvme", "non-scsi-disk",
                HarnessEngine.PROXY, "target-is-proxy");
        expected.forEach((name, reason) -> {
            PreflightRefused e = assertThrows(PreflightRefused.class, () -> engine.backup("pf-" + name.replace('_', '-'),
                    name, BackupMode.AUTO));
            assertEquals(reason, e.reason(), e.getMessage());
        });
        assertEquals("no-parent", assertThrows(PreflightRefused.class,
                () -> engine.backup("pf-incr", "ide", BackupMode.INCREMENTAL)).reason());
        Map<String, Long> calls = control().calls();
        for (String sideEffect : List.of("CreateSnapshot_Task", "CloneVM_Task", "DisableMethods", "ReconfigVM_Task")) {
            assertFalse(calls.containsKey(sideEffect), sideEffect + " was called: " + calls);
        }
    }
    @Test
    void aSpareControllerRemovedByAnAdminIsRebuiltInBusOrderBeforeTheNextJob() throws Exception {
        engine.ensureProxyLayout();
        String proxy = control().vm(HarnessEngine.PROXY).moref();
        io.hotadd.agent.adapters.vsphere.HarnessAdmin.removeScsiControllerWithDisks(VCSIM.vcsim(), proxy, 2);
        assertTrue(control().vm(HarnessEngine.PROXY).disks().stream().noneMatch(d -> d.bus() == 2));

        Vm vm = vm("after-removal", true, 4 * MIB);
        control().writePattern("after-removal", vm.disks().get(0).key(), 0, MIB, "random:r");
        BackupResult r = engine.backup("rebuilt", "after-removal", BackupMode.FULL);
        assertStored(r, "after-removal", vm.disks().get(0).key());
        List<Integer> buses = control().vm(HarnessEngine.PROXY).disks().stream().map(d -> d.bus()).distinct()
                .sorted().toList();
        assertEquals(List.of(0, 1, 2, 3), buses, "bus 2 is back, with its dummy disk keeping it attached");
    }

    @Test
    void datastoreRefusalsHappenWithNothingCreated() {
        control().createDatastore("far", 6, 1, List.of("DC0_C0_H1"));
        control().createDatastore("vmfs3", 3, 8, List.of("DC0_H0", "DC0_C0_H0", "DC0_C0_H1", "DC0_C0_H2"));
        control().createVm(new NewVm("on-far", "DC0_C0_H1", "far", false, true, List.of(NewDisk.thin(MIB))));
        control().createVm(new NewVm("on-vmfs3", null, "vmfs3", false, true, List.of(NewDisk.thin(MIB))));
        engine.ensureProxyLayout();
        control().resetCalls();
        assertEquals("datastore-not-visible", assertThrows(PreflightRefused.class,
                () -> engine.backup("ds-far", "on-far", BackupMode.AUTO)).reason());
        assertEquals("vmfs-mismatch", assertThrows(PreflightRefused.class,
                () -> engine.backup("ds-vmfs3", "on-vmfs3", BackupMode.AUTO)).reason());
        Map<String, Long> calls = control().calls();
        for (String sideEffect : List.of("CreateSnapshot_Task", "CloneVM_Task", "DisableMethods", "ReconfigVM_Task")) {
            assertFalse(calls.containsKey(sideEffect), sideEffect + " was called: " + calls);
        }
    }
}
