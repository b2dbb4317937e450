package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.RestoreResult;
import io.hotadd.agent.engine.RestoreTarget;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewNic;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimModel.VmConfig;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores to a new VM through the production engine and adapters against the harness, from the real
 * repository: the disks come back bit for bit with their provisioning, the VM with the captured
 * configuration (encryption and vTPM included), and a failure at any point leaves nothing behind.
 */
class NewVmRestoreHarnessTest {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY)
            .cbtBlock(64 << 10));

    @TempDir
    static Path repoDir;
    @TempDir
    static Path exports;

    private static RestoreHarness h;

    @BeforeAll
    static void start() {
        h = new RestoreHarness(VCSIM.vcsim(), repoDir, exports);
        h.engine.ensureProxyLayout();
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    @AfterEach
    void nothingLeftBehind() {
        control().clearFaults();
        assertTrue(control().leftovers().clean(), "leftovers: " + control().leftovers());
        assertEquals(List.of(), control().violations(), "ordering violations");
        assertTrue(h.engine.slots.reserved().isEmpty());
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    /** Thin, lazy-zeroed and eager-zeroed disks with data, a NIC on "VM Network", CBT on, an NVRAM. */
    private static String backedUpVm(String name) {
        Vm vm = control().createVm(new NewVm(name, null, null, true, true, List.of(NewDisk.thin(32 * MIB),
                NewDisk.thick(16 * MIB, false), NewDisk.thick(8 * MIB, true)), List.of(new NewNic("VM Network", null))));
        control().writePattern(name, vm.disks().get(0).key(), 2 * MIB, 3 * MIB, "random:" + name);
        control().writePattern(name, vm.disks().get(0).key(), 30 * MIB, 64 << 10, "text:" + name);
        control().writePattern(name, vm.disks().get(1).key(), 0, MIB, "random:b" + name);
        control().writePattern(name, vm.disks().get(2).key(), 7 * MIB, 4096, "byte:7");
        control().configure(name, VmConfig.none().hardware("rhel8_64Guest", 4, 2048, Map.of("guestinfo.role", "db"),
                Map.of("hostname", name, "dns", "10.0.0.53")).withNvram(("NVRAM of " + name).getBytes(StandardCharsets.UTF_8)));
        return h.engine.backup("b-" + name, name, BackupMode.FULL, JobObserver.NONE).restorePointId();
    }

    private static RestoreTarget.NewVm newVm(String name, Map<String, String> networks, Optional<String> policy) {
        return new RestoreTarget.NewVm(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                networks, policy, false);
    }

    private static boolean exists(String name) {
        return control().inventory().vms().stream().anyMatch(v -> v.name().equals(name));
    }

    @Test
    void everyDiskComesBackBitForBitWithItsProvisioningAndTheVmWithItsConfiguration() {
        String point = backedUpVm("app");
        Vm source = control().vm("app");
        VmConfigSummary captured = h.summaryOf(new VmRef(source.moref()));
        Map<String, String> networks = Map.of("VM Network", "DC0_DVPG0");

        RestoreResult r = h.engine.restore("r-app", point, newVm("app-restored", networks, Optional.empty()),
                JobObserver.NONE);

        Vm restored = control().vm("app-restored");
        assertEquals(Optional.of(restored.moref()), r.vm());
        for (int i = 0; i < 3; i++) {
            int sourceKey = source.disks().get(i).key();
            assertEquals(h.exportedHash(point, sourceKey), control().hash("app-restored",
                    restored.disks().get(i).key()).sha256(), "disk " + i + " bit for bit");
        }
        long sourceAllocated = control().hash("app", source.disks().get(0).key()).allocatedBytes();
        long restoredAllocated = control().hash("app-restored", restored.disks().get(0).key()).allocatedBytes();
        assertTrue(restored.disks().get(0).thin());
        assertTrue(restoredAllocated <= sourceAllocated + MIB && restoredAllocated < 8 * MIB,
                "a thin disk stays thin: " + restoredAllocated + " bytes allocated, source " + sourceAllocated);
        VmRef ref = new VmRef(restored.moref());
        RestoreHarness.assertSameConfiguration(captured, h.summaryOf(ref), networks);
        VmInfo info = h.engine.vsphere.read(ref).orElseThrow();
        assertEquals(PowerState.POWERED_OFF, info.powerState());
        assertArrayEquals("NVRAM of app".getBytes(StandardCharsets.UTF_8), h.engine.vsphere.download(
                info.datacenter(), info.vmPathName().replace(".vmx", ".nvram")));
        String create = control().requests("CreateVM_Task").stream().map(q -> q.body())
                .filter(b -> b.contains("<name>app-restored</name>")).findFirst().orElseThrow();
        assertTrue(create.contains("guestinfo.role") && !create.contains("ctkEnabled"), "extraConfig replayed,"
                + " host-managed keys left out");
        h.engine.vsphere.destroy(ref);
    }

    /** The proxy is encrypted too, as HotAdd of an encrypted VM's disks requires. */
    private static String backedUpEncryptedVm(String name, String provider) {
        control().configure(HarnessEngine.PROXY, VmConfig.none().encrypted("proxy-key", provider, "proxy bundle"));
        Vm vm = control().createVm(new NewVm(name, null, null, true, true, List.of(NewDisk.thin(8 * MIB))));
        control().writePattern(name, vm.disks().get(0).key(), 0, MIB, "random:" + name);
        control().configure(name, VmConfig.none().encrypted("key-" + name, provider, "sealed bundle of " + name)
                .withVtpm().withNvram(("TPM state of " + name).getBytes(StandardCharsets.UTF_8)));
        return h.engine.backup("b-" + name, name, BackupMode.FULL, JobObserver.NONE).restorePointId();
    }

    @Test
    void anEncryptedVmWithAVtpmComesBackWithItsKeyBundleFirmwareTpmNvramAndPolicy() {
        List<String> logged = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.logging.Handler everything = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(record) + " " + record.getThrown());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger agent = java.util.logging.Logger.getLogger("io.hotadd");
        java.util.logging.Level level = agent.getLevel();
        agent.setLevel(java.util.logging.Level.FINEST); // debug too: the capture logs what it captured
        java.util.logging.Logger.getLogger("").addHandler(everything);
        String point;
        try {
            point = backedUpEncryptedVm("vault", "kms-1");
            h.engine.restore("r-vault", point, newVm("vault-restored", Map.of(), Optional.of("4d5f-enc-policy")),
                    JobObserver.NONE);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(everything);
            agent.setLevel(level);
        }
        assertTrue(logged.stream().anyMatch(m -> m.contains("VmConfigDocument[")), "the capture was logged");
        assertTrue(logged.stream().noneMatch(m -> m.contains("sealed bundle of vault")), "the bundle never is");
        VmConfigSummary captured = h.summaryOf(new VmRef(control().vm("vault").moref()));

        VmRef ref = new VmRef(control().vm("vault-restored").moref());
        RestoreHarness.assertSameConfiguration(captured, h.summaryOf(ref), Map.of());
        String create = control().requests("CreateVM_Task").stream().map(q -> q.body())
                .filter(b -> b.contains("<name>vault-restored</name>")).findFirst().orElseThrow();
        for (String expected : List.of("xsi:type=\"CryptoSpecEncrypt\"", "<keyId>key-vault</keyId>",
                "<id>kms-1</id>", "<key>encryption.bundle</key>", "sealed bundle of vault", "xsi:type=\"VirtualTPM\"",
                "<firmware>efi</firmware>", "<profileId>4d5f-enc-policy</profileId>")) {
            assertTrue(create.contains(expected), expected + " missing from the CreateVM_Task request");
        }
        VmInfo info = h.engine.vsphere.read(ref).orElseThrow();
        assertArrayEquals("TPM state of vault".getBytes(StandardCharsets.UTF_8), h.engine.vsphere.download(
                info.datacenter(), info.vmPathName().replace(".vmx", ".nvram")));
        h.engine.vsphere.destroy(ref);
    }

    @Test
    void anUnreachableKeyServerIsSaidPlainlyAndNoVmIsLeft() {
        String point = backedUpEncryptedVm("locked", "kms-far");
        control().keyProvider("kms-far", false);
        try {
            VSphereException.KeyProviderUnavailable e = assertThrows(VSphereException.KeyProviderUnavailable.class,
                    () -> h.engine.restore("r-locked", point, newVm("locked-restored", Map.of(),
                            Optional.of("enc-policy")), JobObserver.NONE));
            assertTrue(e.getMessage().contains("kms-far") && e.getMessage().contains("key-locked")
                    && e.getMessage().contains("Key Providers"), e.getMessage());
            assertFalse(exists("locked-restored"));
        } finally {
            control().keyProvider("kms-far", true);
        }
    }

    @Test
    void aFailedHotAddOfTheNewDisksLeavesNoVmAndNothingOnTheProxy() {
        String point = backedUpVm("fragile");
        control().addFault(FaultRule.fault("ReconfigVM_Task", "InvalidDeviceSpec", 1)
                .on(control().vm(HarnessEngine.PROXY).moref()).deliveredInTask());

        VSphereException e = assertThrows(VSphereException.class, () -> h.engine.restore("r-fragile", point,
                newVm("fragile-restored", Map.of(), Optional.empty()), JobObserver.NONE));
        assertEquals("InvalidDeviceSpec", e.faultType());
        assertEquals(0, e.getSuppressed().length, "the cleanup was complete");
        assertFalse(exists("fragile-restored"), "no half-created VM");
    }

    @Test
    void aCreateVmWhoseAnswerWasLostIsFoundByItsMarkerAndTheRestoreCompletes() {
        String point = backedUpVm("lossy");
        control().addFault(new FaultRule(null, "CreateVM_Task", null, 1, "drop", null, null, null, null, null, null));

        RestoreResult r = h.engine.restore("r-lossy", point, newVm("lossy-restored", Map.of(), Optional.empty()),
                JobObserver.NONE);

        assertEquals(1, control().inventory().vms().stream().filter(v -> v.name().equals("lossy-restored")).count(),
                "one VM, not two");
        assertEquals(Optional.of(control().vm("lossy-restored").moref()), r.vm());
        h.engine.vsphere.destroy(new VmRef(r.vm().orElseThrow()));
    }
}
