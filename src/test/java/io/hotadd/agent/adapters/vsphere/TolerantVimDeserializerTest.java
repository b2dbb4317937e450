package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ArrayOfString;
import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.InvalidPowerState;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ParaVirtualSCSIController;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.SharesLevel;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualMachineConfigInfo;
import com.vmware.vim25.VirtualMachinePowerState;
import com.vmware.vim25.VirtualMachineRuntimeInfo;
import com.vmware.vim25.VirtualMachineSnapshotInfo;
import com.vmware.vim25.VirtualSCSISharing;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.Map;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

class TolerantVimDeserializerTest {

    private final SkippedXmlCounter skipped = new SkippedXmlCounter();
    private final TolerantVimDeserializer deserializer =
            new TolerantVimDeserializer(VimTypeRegistry.withProjectTypes(), skipped);

    private Object parse(String returnType, String xml) throws Exception {
        return deserializer.fromXML(returnType, new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private RetrieveResult golden() throws Exception {
        return (RetrieveResult) parse("RetrieveResult", SoapFixtures.golden(SoapFixtures.GOLDEN_VM));
    }

    private static Object property(ObjectContent content, String name) {
        DynamicProperty property = Arrays.stream(content.propSet).filter(p -> p.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no property " + name));
        return property.val;
    }

    private static VirtualDevice device(VirtualMachineConfigInfo config, int key) {
        return Arrays.stream(config.hardware.device).filter(d -> d.key == key).findFirst()
                .orElseThrow(() -> new AssertionError("no device " + key));
    }

    @Test
    void goldenVmConfigReadsDisksWithBackingChangeIdAndParent() throws Exception {
        ObjectContent vm = golden().objects[0];
        assertEquals("VirtualMachine", vm.obj.type);
        assertEquals("vm-1042", vm.obj.val);
        VirtualMachineConfigInfo config = (VirtualMachineConfigInfo) property(vm, "config");
        assertEquals("db01", config.name);
        assertEquals("Production DB & reporting <tier 1>", config.annotation);
        assertEquals(Boolean.TRUE, config.changeTrackingEnabled);
        assertEquals(16, config.hardware.device.length);

        VirtualDisk disk = (VirtualDisk) device(config, 2000);
        assertEquals(1000, disk.controllerKey);
        assertEquals(0, disk.unitNumber);
        assertEquals(53687091200L, disk.capacityInBytes);
        assertEquals(SharesLevel.normal, disk.shares.level);
        VirtualDiskFlatVer2BackingInfo backing = (VirtualDiskFlatVer2BackingInfo) disk.backing;
        assertEquals("[vsanDatastore] 3f2c6a63-8d1e-4b7a-1f2e-0050569a3c1e/db01-000001.vmdk", backing.fileName);
        assertEquals("52 3d 1c 9e 0a 7b 4f 22-81 6e 3a 5d 9c 0b 4e 1b/18", backing.changeId);
        assertEquals("6000C29a-4f3b-2c1d-9e8f-7a6b5c4d3e2f", backing.uuid);
        assertEquals("redoLogFormat", backing.deltaDiskFormat);
        assertEquals("Datastore", backing.datastore.type);
        assertEquals("datastore-1011", backing.datastore.val);
        assertEquals("[vsanDatastore] 3f2c6a63-8d1e-4b7a-1f2e-0050569a3c1e/db01.vmdk", backing.parent.fileName);
        assertEquals("52 3d 1c 9e 0a 7b 4f 22-81 6e 3a 5d 9c 0b 4e 1b/12", backing.parent.changeId);
        assertNull(backing.parent.parent);

        VirtualDisk second = (VirtualDisk) device(config, 2001);
        assertEquals("independent_persistent", ((VirtualDiskFlatVer2BackingInfo) second.backing).diskMode);
        assertTrue(second.connectable.connected);
        // the 6.5 keyId that yavijava's backing class lacks is read through the project's subclass
        CryptoKeyId diskKey = ((EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo) second.backing).keyId;
        assertEquals("8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d", diskKey.keyId);
        assertNull(((EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo) disk.backing).keyId);
    }

    @Test
    void goldenVmControllersEnumsAndPolymorphicDevices() throws Exception {
        VirtualMachineConfigInfo config = (VirtualMachineConfigInfo) property(golden().objects[0], "config");
        ParaVirtualSCSIController pvscsi = (ParaVirtualSCSIController) device(config, 1000);
        assertEquals(0, pvscsi.busNumber);
        assertArrayEquals(new int[] {2000, 2001}, pvscsi.device);
        assertEquals(VirtualSCSISharing.noSharing, pvscsi.sharedBus);
        assertEquals(7, pvscsi.scsiCtlrUnitNumber);

        VirtualNVMEController nvme = (VirtualNVMEController) device(config, 31000); // 6.5, modelled by the project
        assertEquals(0, nvme.busNumber);
        assertEquals(100, nvme.controllerKey);
        assertEquals(24, nvme.unitNumber);

        VirtualTPM tpm = (VirtualTPM) device(config, 11000);
        assertEquals(21, tpm.unitNumber);
        assertEquals(2, tpm.endorsementKeyCertificate.length);
        assertArrayEquals(Base64.getDecoder().decode("MIIDLzCCAhegAwIBAgIJ"), tpm.endorsementKeyCertificate[0]);
        assertArrayEquals(Base64.getDecoder().decode("aqV0NIXjm3MqZ2xvYmFsQ2hlY2tzdW0="), config.vmxConfigChecksum);
        assertEquals("TRUE", config.extraConfig[1].value);
        assertEquals("ctkEnabled", config.extraConfig[1].key);
        Calendar modified = config.modified;
        assertEquals(1970, modified.get(Calendar.YEAR));
        assertEquals(TimeZone.getTimeZone("UTC").getRawOffset(), modified.getTimeZone().getRawOffset());
    }

    @Test
    void goldenVmPropertiesTopLevel() throws Exception {
        ObjectContent vm = golden().objects[0];
        ManagedObjectReference host = (ManagedObjectReference) property(vm, "runtime.host");
        assertEquals("HostSystem", host.type, "MoRef type must come from the un-prefixed attribute, not xsi:type");
        assertEquals("host-1008", host.val);
        assertEquals("Folder", ((ManagedObjectReference) property(vm, "parent")).type);
        assertEquals(VirtualMachinePowerState.poweredOn, property(vm, "runtime.powerState"));

        CryptoKeyId keyId = (CryptoKeyId) property(vm, "config.keyId");
        assertEquals("8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d", keyId.keyId);
        assertEquals("kms-cluster-01", keyId.providerId.id);

        ArrayOfVirtualDevice devices = (ArrayOfVirtualDevice) property(vm, "config.hardware.device");
        assertEquals(2, devices.VirtualDevice.length);
        assertEquals("52 3d 1c 9e 0a 7b 4f 22-81 6e 3a 5d 9c 0b 4e 1b/18",
                ((VirtualDiskFlatVer2BackingInfo) devices.VirtualDevice[1].backing).changeId);
        assertArrayEquals(new String[] {"RelocateVM_Task", "Destroy_Task"},
                ((ArrayOfString) property(vm, "disabledMethod")).string);

        VirtualMachineSnapshotInfo snapshot = (VirtualMachineSnapshotInfo) property(vm, "snapshot");
        assertEquals("snapshot-1101", snapshot.currentSnapshot.val);
        assertEquals("VirtualMachineSnapshot", snapshot.rootSnapshotList[0].snapshot.type);
        assertEquals("hotadd-7f3a", snapshot.rootSnapshotList[0].name);
        assertEquals(VirtualMachinePowerState.poweredOn, snapshot.rootSnapshotList[0].state);
    }

    @Test
    void goldenVmSkipsAndCountsWhatTheModelLacks() throws Exception {
        golden();
        Map<String, Long> counts = skipped.snapshot();
        assertEquals(1L, counts.get("field:VirtualMachineConfigInfo.createDate"));
        assertNull(counts.get("field:VirtualMachineConfigInfo.keyId"), "read by the project's subclass");
        assertEquals(1L, counts.get("field:VirtualMachineConfigInfo.vmxStatsCollectionEnabled"));
        assertNull(counts.get("field:VirtualDiskFlatVer2BackingInfo.keyId"), "read by the project's subclass");
        assertEquals(3L, counts.get("field:VirtualDeviceConnectInfo.migrateConnect"));
        assertEquals(1L, counts.get("field:VirtualVmxnet3.uptv2Enabled"));
        assertNull(counts.get("field:VirtualMachineBootOptions.efiSecureBootEnabled"), "read by the project's subclass");
        assertTrue(skipped.count(SkippedXmlCounter.Kind.UNKNOWN_FIELD) >= 18, counts.toString());
        assertEquals(0, skipped.count(SkippedXmlCounter.Kind.UNKNOWN_TYPE), counts.toString());
        assertEquals(0, skipped.count(SkippedXmlCounter.Kind.UNKNOWN_ENUM_VALUE), counts.toString());
    }

    @Test
    void unknownEnumValuesAndUntypedUnknownTypesAreSkippedNotFatal() throws Exception {
        String xml = SoapFixtures.response("RetrievePropertiesEx", "<returnval><objects>"
                + "<obj type=\"VirtualMachine\">vm-7</obj>"
                + "<propSet><name>runtime</name><val xsi:type=\"VirtualMachineRuntimeInfo\">"
                + "<host type=\"HostSystem\">host-9</host><connectionState>quantumEntangled</connectionState>"
                + "<powerState>poweredOff</powerState><toolsInstallerMounted>false</toolsInstallerMounted>"
                + "<numMksConnections>0</numMksConnections><cryptoState>unlocked</cryptoState></val></propSet>"
                + "<propSet><name>runtime.powerState</name><val xsi:type=\"VirtualMachinePowerState\">hibernating</val>"
                + "</propSet>"
                + "<propSet><name>config.vmOpNotificationTimeout</name>"
                + "<val xsi:type=\"VmOpNotificationTimeoutInfo\"><timeout>300</timeout></val></propSet>"
                + "<propSet><name>name</name><val xsi:type=\"xsd:string\">web01</val></propSet>"
                + "</objects></returnval>");
        ObjectContent vm = ((RetrieveResult) parse("RetrieveResult", xml)).objects[0];
        VirtualMachineRuntimeInfo runtime = (VirtualMachineRuntimeInfo) property(vm, "runtime");
        assertNull(runtime.connectionState);
        assertEquals(VirtualMachinePowerState.poweredOff, runtime.powerState);
        assertEquals("host-9", runtime.host.val);
        assertNull(property(vm, "runtime.powerState"));
        assertNull(property(vm, "config.vmOpNotificationTimeout"));
        assertEquals("web01", property(vm, "name"));
        Map<String, Long> counts = skipped.snapshot();
        assertEquals(1L, counts.get("enum:VirtualMachineConnectionState=quantumEntangled"));
        assertEquals(1L, counts.get("enum:VirtualMachinePowerState=hibernating"));
        assertEquals(1L, counts.get("type:VmOpNotificationTimeoutInfo"));
        assertEquals(1L, counts.get("field:VirtualMachineRuntimeInfo.cryptoState"));
        assertEquals(4, skipped.total());
    }

    @Test
    void unknownDeviceTypeDegradesToVirtualDeviceKeepingItsKeyAndSlot() throws Exception {
        String xml = SoapFixtures.response("RetrievePropertiesEx", "<returnval><objects>"
                + "<obj type=\"VirtualMachine\">vm-7</obj><propSet><name>config.hardware.device</name>"
                + "<val xsi:type=\"ArrayOfVirtualDevice\"><VirtualDevice xsi:type=\"VirtualPrecisionClock\">"
                + "<key>19000</key><controllerKey>100</controllerKey><unitNumber>23</unitNumber>"
                + "</VirtualDevice></val></propSet></objects></returnval>");
        ObjectContent vm = ((RetrieveResult) parse("RetrieveResult", xml)).objects[0];
        VirtualDevice clock = ((ArrayOfVirtualDevice) property(vm, "config.hardware.device")).VirtualDevice[0];
        assertSame(VirtualDevice.class, clock.getClass());
        assertEquals(19000, clock.key);
        assertEquals(23, clock.unitNumber);
        assertEquals(1L, skipped.snapshot().get("type:VirtualPrecisionClock"));
    }

    @Test
    void managedObjectReferenceTypeIgnoresXsiTypeInEitherAttributeOrder() throws Exception {
        String xml = SoapFixtures.response("FindByUuid",
                "<returnval type=\"VirtualMachine\" xsi:type=\"ManagedObjectReference\">vm-1</returnval>"
                        + "<returnval xsi:type=\"ManagedObjectReference\" type=\"HostSystem\">host-2</returnval>");
        ManagedObjectReference[] refs = (ManagedObjectReference[]) parse("ManagedObjectReference[]", xml);
        assertEquals("VirtualMachine", refs[0].type);
        assertEquals("HostSystem", refs[1].type);
        assertEquals("host-2", refs[1].val);
    }

    @Test
    void returnTypesOfVimStub() throws Exception {
        assertNull(parse(null, SoapFixtures.empty("Logout")));
        assertEquals(Boolean.TRUE, parse("boolean",
                SoapFixtures.response("SessionIsActive", "<returnval>true</returnval>")));
        assertArrayEquals(new String[] {"a", "b"}, (String[]) parse("String[]",
                SoapFixtures.response("QueryX", "<returnval>a</returnval><returnval>b</returnval>")));
        Calendar now = (Calendar) parse("Calendar",
                SoapFixtures.response("CurrentTime", "<returnval>2023-03-14T09:12:44.912345Z</returnval>"));
        assertEquals(912, now.get(Calendar.MILLISECOND));
        assertNull(parse("ManagedObjectReference", SoapFixtures.empty("FindByUuid")));
        assertEquals(0, ((String[]) parse("String[]", SoapFixtures.empty("QueryX"))).length);
        assertThrows(UnreadableResponseException.class, () -> parse("boolean", SoapFixtures.empty("SessionIsActive")));
        ServiceContent content = (ServiceContent) parse("ServiceContent", SoapFixtures.serviceContent());
        assertEquals("7.0.3.0", content.about.apiVersion);
        assertEquals("SessionManager", content.sessionManager.val);
        assertEquals(1L, skipped.snapshot().get("field:ServiceContent.vStorageObjectManager"));
    }

    @Test
    void faultInsideTaskInfoIsReadWithoutTouchingThrowableInternals() throws Exception {
        String xml = SoapFixtures.response("RetrievePropertiesEx", "<returnval><objects>"
                + "<obj type=\"Task\">task-88</obj><propSet><name>info</name><val xsi:type=\"TaskInfo\">"
                + "<key>task-88</key><task type=\"Task\">task-88</task><name>PowerOnVM_Task</name>"
                + "<descriptionId>VirtualMachine.powerOn</descriptionId>"
                + "<entity type=\"VirtualMachine\">vm-7</entity><entityName>web01</entityName>"
                + "<state>error</state><cancelled>false</cancelled><cancelable>false</cancelable>"
                + "<error><fault xsi:type=\"InvalidPowerState\"><requestedState>poweredOn</requestedState>"
                + "<existingState>poweredOn</existingState></fault>"
                + "<localizedMessage>The attempted operation cannot be performed in the current state (Powered on)."
                + "</localizedMessage></error>"
                + "<reason xsi:type=\"TaskReasonUser\"><userName>VSPHERE.LOCAL\\backup</userName></reason>"
                + "<queueTime>2023-03-14T09:12:44.912Z</queueTime><eventChainId>4711</eventChainId>"
                + "</val></propSet></objects></returnval>");
        ObjectContent task = ((RetrieveResult) parse("RetrieveResult", xml)).objects[0];
        TaskInfo info = (TaskInfo) property(task, "info");
        assertEquals(TaskInfoState.error, info.state);
        InvalidPowerState fault = assertInstanceOf(InvalidPowerState.class, info.error.fault);
        assertEquals(VirtualMachinePowerState.poweredOn, fault.existingState);
        assertTrue(info.error.localizedMessage.startsWith("The attempted operation"));
        assertEquals(4711, info.eventChainId);
    }

    @Test
    void malformedTruncatedAndForeignDocumentsAreUnreadable() {
        String golden = SoapFixtures.golden(SoapFixtures.GOLDEN_VM);
        String truncated = golden.substring(0, golden.length() / 2);
        UnreadableResponseException cut = assertThrows(UnreadableResponseException.class,
                () -> parse("RetrieveResult", truncated));
        assertTrue(cut.getMessage().contains("malformed or truncated"), cut.getMessage());

        // everything needed was read, only the closing tags are missing: still refused
        String unterminated = golden.substring(0, golden.indexOf("</RetrievePropertiesExResponse>"));
        assertThrows(UnreadableResponseException.class, () -> parse("RetrieveResult", unterminated));

        assertThrows(UnreadableResponseException.class, () -> parse("RetrieveResult",
                SoapFixtures.envelope("<RetrievePropertiesExResponse><returnval></objects></returnval>")));
        UnreadableResponseException html = assertThrows(UnreadableResponseException.class,
                () -> parse("RetrieveResult", "<html><body>502 Bad Gateway</body></html>"));
        assertTrue(html.getMessage().contains("<html>"), html.getMessage());
        assertThrows(UnreadableResponseException.class, () -> parse("RetrieveResult", ""));
        assertThrows(UnreadableResponseException.class, () -> parse("RetrieveResult",
                SoapFixtures.response("RetrievePropertiesEx", "<returnval><token>t</token><objects>"
                        + "<obj type=\"VirtualMachine\">vm-1</obj><propSet><name>x</name>"
                        + "<val xsi:type=\"VirtualDisk\"><key>not-a-number</key></val></propSet></objects>"
                        + "</returnval>")));
    }

    @Test
    void entitiesAndDtdsAreNotExpanded() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + SoapFixtures.response("CurrentTime", "<returnval>&e;</returnval>").replaceFirst("<\\?xml[^>]*>", "");
        assertThrows(UnreadableResponseException.class, () -> parse("String", xxe));
    }

    @Test
    void nullTypeRegistryLookupsDoNotEscapeTheVim25Package() {
        VimTypeRegistry types = VimTypeRegistry.withProjectTypes();
        assertTrue(types.resolve("ws.Client").isEmpty());
        assertTrue(types.resolve("../Foo").isEmpty());
        assertSame(VirtualTPM.class, types.resolve("VirtualTPM").orElseThrow());
        assertSame(VirtualDisk.class, types.resolve("VirtualDisk").orElseThrow());
        assertNotNull(types.resolve("ArrayOfVirtualDevice").orElse(null));
    }
}
