package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.RetrieveResult;
import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The answer to {@link VmProperties#vmWithDatacenter}, shaped like vCenter 7's, mapped to {@link VmInfo}:
 * disk kinds (thin, eager-zeroed and encrypted, physical RDM, NVMe), extraConfig filtering, the snapshot
 * tree, escaped names, and the path of a datacenter that sits in a folder.
 */
class VmInfoMappingTest {

    private static final String DEVICES = "<val xsi:type=\"ArrayOfVirtualDevice\">"
            + "<VirtualDevice xsi:type=\"ParaVirtualSCSIController\"><key>1000</key><busNumber>0</busNumber>"
            + "<device>2000</device><sharedBus>noSharing</sharedBus><scsiCtlrUnitNumber>7</scsiCtlrUnitNumber>"
            + "</VirtualDevice>"
            + "<VirtualDevice xsi:type=\"VirtualNVMEController\"><key>31000</key><busNumber>0</busNumber>"
            + "</VirtualDevice>"
            + "<VirtualDevice xsi:type=\"VirtualKeyboard\"><key>600</key></VirtualDevice>"
            + disk(2000, 1000, 0, "<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">"
                    + "<fileName>[ds1] db/db-000001.vmdk</fileName><datastore type=\"Datastore\">datastore-11</datastore>"
                    + "<diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned>"
                    + "<uuid>6000C29a-4f3b-2c1d-9e8f-7a6b5c4d3e2f</uuid><changeId>52 3d/18</changeId>"
                    + "<parent><fileName>[ds1] db/db.vmdk</fileName><diskMode>persistent</diskMode></parent>"
                    + "</backing>", 53687091200L)
            + disk(2001, 1000, 1, "<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">"
                    + "<fileName>[ds1] db/db_1.vmdk</fileName><diskMode>independent_persistent</diskMode>"
                    + "<thinProvisioned>false</thinProvisioned><eagerlyScrub>true</eagerlyScrub>"
                    + "<uuid>6000C295-1a2b-3c4d-5e6f-708192a3b4c5</uuid>"
                    + "<keyId><keyId>8d3a6f2e</keyId><providerId><id>kms-01</id></providerId></keyId></backing>", 0)
            + disk(2002, 1000, 2, "<backing xsi:type=\"VirtualDiskRawDiskMappingVer1BackingInfo\">"
                    + "<fileName>[ds1] db/db_2.vmdk</fileName><lunUuid>0200000000600</lunUuid>"
                    + "<deviceName>/vmfs/devices/disks/naa.600</deviceName><compatibilityMode>physicalMode"
                    + "</compatibilityMode><diskMode>independent_persistent</diskMode></backing>", 1073741824L)
            + disk(16000, 31000, 0, "<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">"
                    + "<fileName>[ds1] db/db_3.vmdk</fileName><diskMode>persistent</diskMode>"
                    + "<thinProvisioned>false</thinProvisioned></backing>", 2147483648L)
            + "</val>";

    private static String disk(int key, int controller, int unit, String backing, long bytes) {
        return "<VirtualDevice xsi:type=\"VirtualDisk\"><key>" + key + "</key><deviceInfo><label>Hard disk "
                + key + "</label><summary>x</summary></deviceInfo>" + backing + "<controllerKey>" + controller
                + "</controllerKey><unitNumber>" + unit + "</unitNumber><capacityInKB>" + (bytes == 0 ? 209715200
                : bytes / 1024) + "</capacityInKB>" + (bytes == 0 ? "" : "<capacityInBytes>" + bytes
                + "</capacityInBytes>") + "</VirtualDevice>";
    }

    private static String prop(String name, String xsiType, String value) {
        return "<propSet><name>" + name + "</name><val xsi:type=\"" + xsiType + "\">" + value + "</val></propSet>";
    }

    private static String object(String type, String moref, String props) {
        return "<objects><obj type=\"" + type + "\">" + moref + "</obj>" + props + "</objects>";
    }

    private static String vm() {
        return object("VirtualMachine", "vm-42", prop("name", "xsd:string", "db%2fprod")
                + prop("config.uuid", "xsd:string", "4229a5e0-3f0e-6d1c-8a2b-7d3c4e5f6a7b")
                + prop("config.instanceUuid", "xsd:string", "5029b1c2-6e4d-1f3a-9b8c-0d1e2f3a4b5c")
                + "<propSet><name>config.hardware.device</name>" + DEVICES + "</propSet>"
                + prop("config.changeTrackingEnabled", "xsd:boolean", "true")
                + prop("config.version", "xsd:string", "vmx-19")
                + prop("config.extraConfig", "ArrayOfOptionValue", option("disk.enableUUID", "TRUE")
                        + option("ctkEnabled", "TRUE") + option("hotadd.job", "job-9")
                        + option("encryption.bundle", "vmware:key/list/(pair/(null/kms-01/8d3a))"))
                + prop("config.keyId", "CryptoKeyId", "<keyId>8d3a6f2e</keyId>")
                + prop("config.template", "xsd:boolean", "false")
                + prop("config.files.vmPathName", "xsd:string", "[ds1] db/db.vmx")
                + prop("runtime.powerState", "VirtualMachinePowerState", "poweredOn")
                + prop("runtime.host", "ManagedObjectReference", "host-8").replace(">host-8", " type=\"HostSystem\">host-8")
                + prop("runtime.consolidationNeeded", "xsd:boolean", "true")
                + prop("snapshot", "VirtualMachineSnapshotInfo", "<currentSnapshot type=\"VirtualMachineSnapshot\">"
                        + "snapshot-51</currentSnapshot>" + tree("snapshot-50", "nightly", tree("snapshot-51",
                        "hotadd-job-9", "")))
                + prop("disabledMethod", "ArrayOfString", "<string>RelocateVM_Task</string>")
                + prop("datastore", "ArrayOfManagedObjectReference",
                        "<ManagedObjectReference type=\"Datastore\">datastore-11</ManagedObjectReference>")
                + prop("resourcePool", "ManagedObjectReference", "resgroup-3").replace(">resgroup-3",
                        " type=\"ResourcePool\">resgroup-3")
                + prop("parent", "ManagedObjectReference", "group-v9").replace(">group-v9", " type=\"Folder\">group-v9"));
    }

    private static String option(String key, String value) {
        return "<OptionValue><key>" + key + "</key><value xsi:type=\"xsd:string\">" + value + "</value></OptionValue>";
    }

    private static String tree(String moref, String name, String children) {
        return "<rootSnapshotList><snapshot type=\"VirtualMachineSnapshot\">" + moref + "</snapshot>"
                + "<vm type=\"VirtualMachine\">vm-42</vm><name>" + name + "</name><description>d</description>"
                + "<createTime>2023-03-14T09:12:44Z</createTime><state>poweredOn</state><quiesced>false</quiesced>"
                + children.replace("rootSnapshotList", "childSnapshotList") + "</rootSnapshotList>";
    }

    private static String folder(String moref, String name, String parent) {
        return object("Folder", moref, prop("name", "xsd:string", name) + (parent == null ? ""
                : "<propSet><name>parent</name><val type=\"Folder\" xsi:type=\"ManagedObjectReference\">" + parent
                        + "</val></propSet>"));
    }

    private static List<ObjectProperties> answer() throws Exception {
        String xml = SoapFixtures.response("RetrievePropertiesEx", "<returnval>" + vm()
                + folder("group-v9", "vm", null)
                + object("Datacenter", "datacenter-3", prop("name", "xsd:string", "dc-paris")
                        + "<propSet><name>parent</name><val type=\"Folder\" xsi:type=\"ManagedObjectReference\">"
                        + "group-f7</val></propSet>")
                + folder("group-f7", "emea", "group-d1") + folder("group-d1", "Datacenters", null) + "</returnval>");
        RetrieveResult result = (RetrieveResult) new TolerantVimDeserializer(VimTypeRegistry.withProjectTypes(),
                new SkippedXmlCounter()).fromXML("RetrieveResult",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        return Arrays.stream(result.objects).map(ObjectProperties::new).toList();
    }

    private static VmInfo mapped() throws Exception {
        List<ObjectProperties> found = answer();
        return VmInfoMapper.map(found.get(0), YavijavaInventory.datacenterPath(found));
    }

    @Test
    void identityPlacementAndStateComeFromTheirOwnPropertyPaths() throws Exception {
        VmInfo vm = mapped();
        assertEquals("db/prod", vm.name(), "vCenter's %2f is a slash typed by a person");
        assertEquals("5029b1c2-6e4d-1f3a-9b8c-0d1e2f3a4b5c", vm.instanceUuid());
        assertEquals("4229a5e0-3f0e-6d1c-8a2b-7d3c4e5f6a7b", vm.biosUuid());
        assertEquals("emea/dc-paris", vm.datacenter(), "the file service's dcPath, folder included");
        assertEquals("host-8", vm.host());
        assertEquals("resgroup-3", vm.resourcePool());
        assertEquals("group-v9", vm.folder());
        assertEquals("[ds1] db/db.vmx", vm.vmPathName());
        assertEquals(PowerState.POWERED_ON, vm.powerState());
        assertTrue(vm.changeTracking());
        assertEquals(19, vm.hardwareVersion());
        assertTrue(vm.encrypted());
        assertTrue(vm.consolidationNeeded());
        assertFalse(vm.template());
        assertEquals(List.of("RelocateVM_Task"), vm.disabledMethods());
        assertEquals(List.of("datastore-11"), vm.datastores());
        assertEquals(Map.of("disk.EnableUUID", "TRUE", "hotadd.job", "job-9", "encryption.bundle",
                "vmware:key/list/(pair/(null/kms-01/8d3a))"), vm.extraConfig(), "ctkEnabled is not the agent's");
    }

    @Test
    void disksKeepTheirKindModeProvisioningChainAndEncryption() throws Exception {
        VmInfo vm = mapped();
        assertEquals(List.of(new ControllerInfo(1000, 0, ControllerType.PVSCSI),
                new ControllerInfo(31000, 0, ControllerType.NVME)), vm.controllers());
        DiskInfo thin = vm.disk(2000).orElseThrow();
        assertEquals(new DiskInfo(2000, "Hard disk 2000", 53687091200L, "6000C29a-4f3b-2c1d-9e8f-7a6b5c4d3e2f",
                "[ds1] db/db-000001.vmdk", "datastore-11", 1000, 0, DiskMode.PERSISTENT, DiskBacking.FLAT,
                Provisioning.THIN, "52 3d/18", "[ds1] db/db.vmdk", false), thin);
        DiskInfo encrypted = vm.disk(2001).orElseThrow();
        assertEquals(209715200L * 1024, encrypted.capacityBytes(), "capacityInKB when capacityInBytes is absent");
        assertEquals(Provisioning.EAGER_ZEROED_THICK, encrypted.provisioning());
        assertEquals(DiskMode.INDEPENDENT_PERSISTENT, encrypted.mode());
        assertTrue(encrypted.encrypted());
        DiskInfo rdm = vm.disk(2002).orElseThrow();
        assertEquals(DiskBacking.RDM_PHYSICAL, rdm.backing());
        assertFalse(rdm.backing().canHotAdd());
        DiskInfo onNvme = vm.disk(16000).orElseThrow();
        assertEquals(ControllerType.NVME, vm.controller(onNvme.controllerKey()).orElseThrow().type());
        assertEquals(Provisioning.LAZY_ZEROED_THICK, onNvme.provisioning());
        assertNull(onNvme.changeId());
    }

    @Test
    void theSnapshotTreeKeepsItsShapeAndTheCurrentSnapshot() throws Exception {
        VmInfo vm = mapped();
        assertEquals(new SnapshotRef("snapshot-51"), vm.currentSnapshot());
        assertEquals(1, vm.snapshots().size());
        assertEquals("nightly", vm.snapshots().get(0).name());
        assertEquals("hotadd-job-9", vm.snapshots().get(0).children().get(0).name());
        assertEquals(List.of("snapshot-50", "snapshot-51"),
                vm.allSnapshots().stream().map(s -> s.ref().moref()).toList());
    }

    @Test
    void aDatacenterAtTheTopOfTheInventoryIsJustItsName() throws Exception {
        List<ObjectProperties> found = answer().stream()
                .filter(o -> !"group-f7".equals(o.moref())).toList();
        assertEquals("dc-paris", YavijavaInventory.datacenterPath(found.stream().map(o -> "datacenter-3"
                .equals(o.moref()) ? reparented(o) : o).toList()));
    }

    private static ObjectProperties reparented(ObjectProperties datacenter) {
        ObjectContent content = new ObjectContent();
        content.obj = datacenter.ref();
        DynamicProperty name = new DynamicProperty();
        name.name = "name";
        name.val = datacenter.string("name");
        DynamicProperty parent = new DynamicProperty();
        parent.name = "parent";
        parent.val = VSphereSession.mor("Folder", "group-d1");
        content.propSet = new DynamicProperty[] {name, parent};
        return new ObjectProperties(content);
    }
}
