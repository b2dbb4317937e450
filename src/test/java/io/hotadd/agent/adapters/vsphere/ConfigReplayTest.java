package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecFileOperation;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualEthernetCard;
import com.vmware.vim25.VirtualEthernetCardNetworkBackingInfo;
import com.vmware.vim25.VirtualMachineDefinedProfileSpec;
import com.vmware.vim25.ws.Argument;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.port.VmConfigSummary;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A vCenter 7 VM configuration (golden RetrievePropertiesEx) through the capture and back into a ConfigSpec:
 * what is kept verbatim, what the summary says, and what CreateVM_Task is sent (crypto, devices, filtered
 * extraConfig, fields in the newer schema's order).
 */
class ConfigReplayTest {
    private final VimTypeRegistry types = VimTypeRegistry.withProjectTypes();
    private final TolerantVimDeserializer xml = new TolerantVimDeserializer(types, new SkippedXmlCounter());

    private String capturedXml() throws Exception {
        return ConfigXml.extract(SoapFixtures.golden(SoapFixtures.GOLDEN_VM).getBytes(StandardCharsets.UTF_8),
                "config");
    }

    private VmConfigTypes.VirtualMachineConfigInfo captured() throws Exception {
        return xml.readDocument(new ByteArrayInputStream(capturedXml().getBytes(StandardCharsets.UTF_8)),
                VmConfigTypes.VirtualMachineConfigInfo.class);
    }

    @Test
    void theCapturedXmlIsVCentersOwnWithEveryNamespaceItNeeds() throws Exception {
        String doc = capturedXml();
        assertTrue(doc.contains("<config xmlns=\"urn:vim25\""), doc.substring(0, 200));
        assertTrue(doc.contains("xsi:type=\"VirtualMachineConfigInfo\""));
        assertTrue(doc.contains("xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""), "xsi:type=xsd:string resolves");
        for (String kept : List.of("<createDate>2022-11-02T14:03:11.524861Z</createDate>", "<sgxInfo>",
                "<migrateEncryption>opportunistic</migrateEncryption>", "<uptv2Enabled>false</uptv2Enabled>")) {
            assertTrue(doc.contains(kept), kept + ": fields yavijava lacks survive verbatim");
        }
    }

    @Test
    void theSummarySaysWhatARestoreNeeds() throws Exception {
        VmConfigSummary s = ConfigSummaryMapper.map(captured(), Map.of("dvportgroup-1021", "DB network"));
        assertEquals("db01", s.name());
        assertEquals("efi", s.firmware());
        assertEquals(4, s.numCpu());
        assertEquals(2, s.coresPerSocket());
        assertEquals(16384, s.memoryMb());
        assertEquals("[vsanDatastore] 3f2c6a63-8d1e-4b7a-1f2e-0050569a3c1e/db01.nvram", s.nvramPath());
        assertEquals(Optional.of(new VmConfigSummary.KeyId("8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d", "kms-cluster-01")),
                s.keyId());
        assertTrue(s.hasVtpm());
        assertFalse(s.hasEncryptionBundle());
        assertTrue(s.changeTracking());
        assertEquals(List.of(new VmConfigSummary.Controller(1000, ControllerType.PVSCSI, 0),
                new VmConfigSummary.Controller(31000, ControllerType.NVME, 0)), s.controllers().stream()
                .filter(c -> c.type() != ControllerType.IDE).toList());
        VmConfigSummary.Disk second = s.disk(2001).orElseThrow();
        assertEquals(Provisioning.EAGER_ZEROED_THICK, second.provisioning());
        assertEquals(DiskMode.INDEPENDENT_PERSISTENT, second.mode());
        assertTrue(second.encrypted());
        assertEquals(Provisioning.THIN, s.disk(2000).orElseThrow().provisioning());
        assertEquals(List.of(new VmConfigSummary.Nic(4000, "Network adapter 1", "VirtualVmxnet3", "DB network",
                "00:50:56:a9:3c:1e", true)), s.nics());
    }

    @Test
    void theConfigSpecEncryptsWithTheSameKeyAndRecreatesTheHardware() throws Exception {
        VmConfigTypes.VirtualMachineConfigInfo info = captured();
        VirtualEthernetCardNetworkBackingInfo lan = new VirtualEthernetCardNetworkBackingInfo();
        lan.deviceName = "DR network";
        List<VirtualDeviceConfigSpec> devices = new RestoreDeviceSpecs("ds-dr", Optional.of("enc-policy"),
                key -> lan).of(List.of(info.hardware.device));
        VmConfigTypes.VirtualMachineConfigSpec spec = RestoreConfigSpec.of(info, "db01-restored", "ds-dr", devices,
                Map.of("hotadd.job", "r1"), Optional.of("enc-policy"));

        assertEquals("8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d", ((CryptoSpecEncrypt) spec.crypto).cryptoKeyId.keyId);
        assertEquals("enc-policy", ((VirtualMachineDefinedProfileSpec) spec.vmProfile[0]).profileId);
        assertEquals("[ds-dr]", spec.files.vmPathName);
        assertEquals(Boolean.FALSE, spec.changeTrackingEnabled);
        assertEquals(List.of("ParaVirtualSCSIController", "VirtualNVMEController", "VirtualDisk", "VirtualDisk",
                "VirtualCdrom", "VirtualVmxnet3", "VirtualTPM"), devices.stream()
                .map(d -> d.device.getClass().getSimpleName()).toList());
        VirtualDisk eager = (VirtualDisk) devices.get(3).device;
        VirtualDiskFlatVer2BackingInfo backing = (VirtualDiskFlatVer2BackingInfo) eager.backing;
        assertEquals(VirtualDeviceConfigSpecFileOperation.create, devices.get(3).fileOperation);
        assertEquals(Boolean.TRUE, backing.eagerlyScrub);
        assertEquals(Boolean.FALSE, backing.thinProvisioned);
        assertEquals("independent_persistent", backing.diskMode);
        assertEquals(devices.get(0).device.key, (int) ((VirtualDisk) devices.get(2).device).controllerKey);
        assertEquals(201, (int) devices.get(4).device.controllerKey, "the CD-ROM stays on the default IDE 1");
        VirtualEthernetCard nic = (VirtualEthernetCard) devices.get(5).device;
        assertEquals("DR network", ((VirtualEthernetCardNetworkBackingInfo) nic.backing).deviceName);
        assertNull(nic.macAddress, "a new MAC");
        assertEquals(List.of("hotadd.job", "vmware.tools.gosc.ignoretoolscheck"),
                Arrays.stream(spec.extraConfig).map((OptionValue o) -> o.key).toList(), "host-managed keys left out");
        assertNull(spec.bootOptions.bootOrder);
    }

    @Test
    void theRequestPutsNewerFieldsWhereTheNewerSchemaHasThem() throws Exception {
        VmConfigTypes.VirtualMachineConfigInfo info = captured();
        VmConfigTypes.VirtualMachineConfigSpec spec = RestoreConfigSpec.of(info, "db01-restored", "ds-dr", List.of(),
                Map.of(), Optional.empty());
        String body = new VimRequestWriter(types).write("CreateVM_Task", new Argument[] {
            new Argument("_this", "ManagedObjectReference", VSphereSession.mor("Folder", "group-v3")),
            new Argument("config", "VirtualMachineConfigSpec", spec)}, VimSoapClient.VIM25_NAMESPACE);
        assertTrue(body.contains("<enterBIOSSetup>false</enterBIOSSetup><efiSecureBootEnabled>true"
                + "</efiSecureBootEnabled><bootRetryEnabled>"), "Secure Boot in its schema place");
        assertTrue(body.contains("<messageBusTunnelEnabled>false</messageBusTunnelEnabled><crypto"
                + " xsi:type=\"CryptoSpecEncrypt\"><cryptoKeyId><keyId>8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d</keyId>"),
                "crypto right after messageBusTunnelEnabled");
        assertFalse(body.contains("<toolsVersion>"), "what the guest reports is not a setting");
    }
}
