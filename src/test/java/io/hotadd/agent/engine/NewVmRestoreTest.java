package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Extents;
import io.hotadd.agent.domain.GuestDisk;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Restores to a new VM on the fakes: exact content, captured configuration, and nothing left on failure. */
class NewVmRestoreTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** A VM with data on two disks (one of them eager-zeroed thick) and an NVRAM, backed up. */
    private String backedUp(FakeVm vm) {
        vm.disks.get(1).provisioning = Provisioning.EAGER_ZEROED_THICK;
        f.vc.guestWrite(vm, 2000, 0, random(300_000, 1));
        f.vc.guestWrite(vm, 2000, 3 * MIB, random(4096, 2));
        f.vc.guestWrite(vm, 2001, MIB, random(100, 3));
        f.vc.putFile(vm.datacenter, "[ds1] " + vm.name + "/" + vm.name + ".nvram", ("NVRAM of " + vm.name).getBytes());
        return f.backup("backup-" + vm.name, vm, BackupMode.FULL).restorePointId();
    }

    private FakeVm source(String name) {
        f.proxy.encrypted = true; // HotAdd of an encrypted VM's disks needs an encrypted proxy
        FakeVm vm = f.vc.addVm(name, 4 * MIB, 2 * MIB);
        vm.cbt = true;
        vm.cbtTrackId = "52 track";
        return vm;
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static RestoreTarget.NewVm newVm(String name) {
        return new RestoreTarget.NewVm(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Map.of(), Optional.empty(), false);
    }

    private FakeVm named(String name) {
        return f.vc.vms().stream().filter(v -> v.name.equals(name)).findFirst().orElse(null);
    }

    private void assertNothingLeftBehind() {
        assertEquals(List.of(), f.vc.leftovers(f.proxy), "leftovers");
        assertEquals(List.of(), f.vc.violations(), "ordering violations");
        assertTrue(f.slots.reserved().isEmpty(), "slot reservations released");
        assertTrue(f.guest.visible().stream().allMatch(g -> f.proxy.disks.stream().anyMatch(d -> d.fileName
                .startsWith("[ds1] proxy/") && GuestDisk.canonicalUuid(d.uuid).equals(g.uuid()))),
                "the guest sees the proxy's own disks only: " + f.guest.visible());
    }

    @Test
    void newVmGetsTheBackupBitForBitWithTheCapturedHardwareAndNvram() {
        FakeVm src = source("web");
        String point = backedUp(src);
        EngineFixture.Recorder obs = new EngineFixture.Recorder();

        RestoreResult r = f.restore("r1", point, newVm("web-restored"), obs, () -> false);

        FakeVm vm = named("web-restored");
        assertEquals(Optional.of(vm.moref), r.vm());
        for (int key : List.of(2000, 2001)) {
            assertArrayEquals(f.repo.imageBytes(point, key), f.content(vm, key), "disk " + key);
        }
        assertEquals(List.of(Provisioning.THIN, Provisioning.EAGER_ZEROED_THICK),
                vm.disks.stream().map(d -> d.provisioning).toList());
        assertEquals(PowerState.POWERED_OFF, vm.power);
        assertTrue(vm.cbt, "change tracking back on, as the source had it, after the write");
        assertEquals("r1", vm.extraConfig.get(Names.MARK_JOB));
        assertArrayEquals("NVRAM of web".getBytes(), f.vc.file(vm.datacenter, "[ds1] web-restored/web-restored.nvram")
                .orElseThrow());
        assertEquals(List.of(JobPhase.PREFLIGHT, JobPhase.CREATING_VM, JobPhase.UPLOADING_NVRAM,
                JobPhase.WAITING_FOR_SLOTS, JobPhase.ATTACHING, JobPhase.LOCATING, JobPhase.WRITING,
                JobPhase.RELEASING_DEVICES, JobPhase.DETACHING, JobPhase.ENABLING_CBT, JobPhase.DONE), obs.phases);
        assertEquals(r.bytesWritten(), obs.written.values().stream().mapToLong(a -> a.get()).sum());
        assertNothingLeftBehind();
    }

    @Test
    void aThinDiskAllocatesOnlyWhatTheBackupHeld() {
        String point = backedUp(source("thin"));
        f.restore("r2", point, newVm("thin-restored"), new EngineFixture.Recorder(), () -> false);
        try (DiskImage image = f.repo.openDisk(point, 2000)) {
            FakeVm vm = named("thin-restored");
            long allocated = Extents.totalLength(Extents.normalize(f.vc.allocated(vm, 2000)));
            assertEquals(Extents.totalLength(image.dataExtents()), allocated, "holes stay holes");
        }
    }

    @Test
    void powerOnIsTheLastStepWhenAsked() {
        String point = backedUp(source("app"));
        RestoreTarget.NewVm target = new RestoreTarget.NewVm("app-restored", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Optional.empty(), true);
        EngineFixture.Recorder obs = new EngineFixture.Recorder();
        f.restore("r3", point, target, obs, () -> false);
        assertEquals(PowerState.POWERED_ON, named("app-restored").power);
        assertEquals(JobPhase.POWERING_ON, obs.phases.get(obs.phases.size() - 2));
    }

    @Test
    void anEncryptedVmComesBackWithItsKeyBundleVtpmAndPolicy() {
        FakeVm src = source("vault");
        src.keyId = new VmConfigSummary.KeyId("8d3a6f2e", "kms-1");
        src.encrypted = true;
        src.vtpm = true;
        src.firmware = "efi";
        src.extraConfig.put("encryption.bundle", "vmware:key/list/(pair/(null/vmware:key/fqid/...))");
        String point = backedUp(src);

        RestoreRefused refused = assertThrows(RestoreRefused.class,
                () -> f.restore("r4", point, newVm("vault-2"), new EngineFixture.Recorder(), () -> false));
        assertEquals("encryption-policy-required", refused.reason());
        assertTrue(refused.getMessage().contains("kms-1") && refused.getMessage().contains("storagePolicyId"),
                refused.getMessage());
        assertEquals(null, named("vault-2"), "refused before anything was created");

        f.restore("r5", point, new RestoreTarget.NewVm("vault-2", Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Map.of(), Optional.of("vm-encryption-policy"), false),
                new EngineFixture.Recorder(), () -> false);
        FakeVm vm = named("vault-2");
        assertEquals(src.keyId, vm.keyId);
        assertTrue(vm.vtpm);
        assertEquals("efi", vm.firmware);
        assertEquals(src.extraConfig.get("encryption.bundle"), vm.extraConfig.get("encryption.bundle"));
        assertEquals("vm-encryption-policy", vm.storagePolicyId);
    }

    @Test
    void anUnreachableKeyProviderIsSaidPlainlyAndNothingIsCreated() {
        FakeVm src = source("locked");
        src.keyId = new VmConfigSummary.KeyId("k-1", "kms-far");
        src.encrypted = true;
        String point = backedUp(src);
        f.vc.keyProviderReachable = false;

        VSphereException.KeyProviderUnavailable e = assertThrows(VSphereException.KeyProviderUnavailable.class,
                () -> f.restore("r6", point, new RestoreTarget.NewVm("locked-2", Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Map.of(), Optional.of("enc"), false),
                        new EngineFixture.Recorder(), () -> false));
        assertTrue(e.getMessage().contains("kms-far"), e.getMessage());
        assertEquals(Optional.of("kms-far"), e.providerId());
        assertEquals(null, named("locked-2"));
        assertNothingLeftBehind();
    }

    @Test
    void aWriteErrorDestroysTheNewVmAfterItsDisksLeftTheProxy() {
        String point = backedUp(source("db"));
        f.guest.failWritesAtOffset = 3 * MIB;
        EngineFixture.Recorder obs = new EngineFixture.Recorder();

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> f.restore("r7", point, newVm("db-restored"), obs, () -> false));
        assertTrue(e.getMessage().contains("EIO"), e.getMessage());
        assertEquals(0, e.getSuppressed().length, Arrays.toString(e.getSuppressed()));
        assertEquals(null, named("db-restored"), "no half-created VM");
        assertEquals(List.of(JobPhase.RELEASING_DEVICES, JobPhase.DETACHING, JobPhase.DESTROYING_VM),
                obs.phases.stream().filter(JobPhase::isCleanup).toList());
        assertNothingLeftBehind();
    }

    @Test
    void aVmThatCannotBeDestroyedIsNamedInTheError() {
        String point = backedUp(source("stuck"));
        f.guest.failWritesAtOffset = 0;
        f.vc.faults().failNext("destroy", null, 10, () -> new VSphereException.NoPermission("no privilege to destroy",
                "VirtualMachine.Inventory.Delete", "NoPermission", null, null));

        RuntimeException e = assertThrows(RuntimeException.class,
                () -> f.restore("r8", point, newVm("stuck-restored"), new EngineFixture.Recorder(), () -> false));
        FakeVm left = named("stuck-restored");
        assertNotNull(left);
        String cleanup = Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).reduce("", String::concat);
        assertTrue(cleanup.contains("'stuck-restored'") && cleanup.contains("delete it in vCenter"), cleanup);
        assertEquals(List.of(), f.vc.violations());
        assertTrue(f.slots.reserved().isEmpty());
    }

    @Test
    void aCancelledRestoreStopsWritingAndDestroysTheVm() {
        String point = backedUp(source("cancel"));
        AtomicBoolean cancel = new AtomicBoolean();
        EngineFixture.Recorder obs = new EngineFixture.Recorder() {
            @Override
            public void phase(JobPhase phase) {
                super.phase(phase);
                if (phase == JobPhase.WRITING) {
                    cancel.set(true);
                }
            }
        };
        assertThrows(CopyCancelled.class, () -> f.restore("r9", point, newVm("cancel-restored"), obs, cancel::get));
        assertEquals(null, named("cancel-restored"));
        assertNothingLeftBehind();
    }

    @Test
    void theDryRunRefusesATakenNameAnUnknownPointAndAnUnknownNetworkWithoutChangingAnything() {
        String point = backedUp(source("dry"));
        List<String> callsBefore = f.vc.faults().calls();
        assertEquals("name-taken", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("d1", point, newVm("dry")))).reason());
        assertEquals("restore-point-not-found", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("d2", "0".repeat(32), newVm("other")))).reason());
        assertEquals("unknown-network", assertThrows(RestoreRefused.class, () -> f.restores.check(
                new RestoreRequest("d3", point, new RestoreTarget.NewVm("x", Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Map.of("Prod LAN", "DR LAN"), Optional.empty(), false))))
                .reason());
        CheckedRestore ok = f.restores.check(new RestoreRequest("d4", point, newVm("dry-2")));
        assertEquals(2, ok.disks().size());
        assertEquals("ds1", ok.placement().orElseThrow().datastoreName());
        List<String> calls = f.vc.faults().calls().subList(callsBefore.size(), f.vc.faults().calls().size());
        assertFalse(calls.stream().anyMatch(c -> c.startsWith("createVm") || c.startsWith("attachDisks")
                || c.startsWith("addSpareController")), calls.toString());
    }
}
