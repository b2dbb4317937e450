package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.ws.Argument;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class VimRequestWriterTest {

    private final VimRequestWriter writer = new VimRequestWriter(VimTypeRegistry.withProjectTypes());

    private static ManagedObjectReference mor(String type, String value) {
        return VSphereSession.mor(type, value);
    }

    private static Argument[] disableMethods() {
        return new Argument[] {
            new Argument("_this", "ManagedObjectReference", mor("AuthorizationManager", "AuthorizationManager")),
            new Argument("entity", "ManagedObjectReference[]",
                    new ManagedObjectReference[] {mor("VirtualMachine", "vm-42")}),
            new Argument("method", "DisabledMethodRequest[]", new DisabledMethodRequest[] {
                new DisabledMethodRequest("RelocateVM_Task"), new DisabledMethodRequest("Destroy_Task")}),
            new Argument("sourceId", "String", "io.hotadd.agent <job 7>"),
        };
    }

    @Test
    void disableMethodsIsWrittenInWireOrderWithoutSpuriousXsiTypes() throws Exception {
        Argument[] arguments = disableMethods();
        assertTrue(writer.isNeededFor(arguments), "yavijava's XmlGen cannot write DisabledMethodRequest[]");
        String xml = writer.write("DisableMethods", arguments, VimSoapClient.VIM25_NAMESPACE);
        assertTrue(xml.contains("<DisableMethods xmlns=\"urn:vim25\">"
                + "<_this type=\"AuthorizationManager\">AuthorizationManager</_this>"
                + "<entity type=\"VirtualMachine\">vm-42</entity>"
                + "<method><method>RelocateVM_Task</method></method>"
                + "<method><method>Destroy_Task</method></method>"
                + "<sourceId>io.hotadd.agent &lt;job 7&gt;</sourceId></DisableMethods>"), xml);
        Document parsed = DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        assertEquals("soapenv:Envelope", parsed.getDocumentElement().getTagName());
    }

    @Test
    void projectTypesNestedInVim25ObjectsAreWrittenWithTheirXsiType() {
        VirtualTPM tpm = new VirtualTPM();
        tpm.key = -1;
        tpm.endorsementKeyCertificate = new byte[][] {{1, 2, 3}};
        VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
        change.device = tpm;
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.deviceChange = new VirtualDeviceConfigSpec[] {change};
        OptionValue marker = new OptionValue();
        marker.key = "hotadd.job";
        marker.value = 7;
        spec.extraConfig = new OptionValue[] {marker};
        Argument[] arguments = {new Argument("_this", "ManagedObjectReference", mor("VirtualMachine", "vm-1")),
            new Argument("spec", "VirtualMachineConfigSpec", spec)};
        assertTrue(writer.isNeededFor(arguments));
        String xml = writer.write("ReconfigVM_Task", arguments, VimSoapClient.VIM25_NAMESPACE);
        assertTrue(xml.contains("<device xsi:type=\"VirtualTPM\"><key>-1</key>"), xml);
        assertTrue(xml.contains("<endorsementKeyCertificate>AQID</endorsementKeyCertificate>"), xml);
        assertTrue(xml.contains("<extraConfig><key>hotadd.job</key><value xsi:type=\"xsd:int\">7</value>"), xml);
    }

    @Test
    void encryptedDiskBackingReadFromVCenterIsWrittenBackWithKeyIdLast() {
        EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo backing =
                new EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo();
        backing.fileName = "[ds1] db01/db01_1.vmdk";
        backing.diskMode = "persistent";
        backing.sharing = "sharingNone";
        backing.keyId = new CryptoKeyId();
        backing.keyId.keyId = "8d3a6f2e";
        com.vmware.vim25.VirtualDisk disk = new com.vmware.vim25.VirtualDisk();
        disk.key = 2001;
        disk.backing = backing;
        VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
        change.device = disk;
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.deviceChange = new VirtualDeviceConfigSpec[] {change};
        Argument[] arguments = {new Argument("_this", "ManagedObjectReference", mor("VirtualMachine", "vm-1")),
            new Argument("spec", "VirtualMachineConfigSpec", spec)};
        assertTrue(writer.isNeededFor(arguments), "yavijava's XmlGen would drop or choke on keyId");
        String xml = writer.write("ReconfigVM_Task", arguments, VimSoapClient.VIM25_NAMESPACE);
        assertTrue(xml.contains("<backing xsi:type=\"VirtualDiskFlatVer2BackingInfo\">"
                + "<fileName>[ds1] db01/db01_1.vmdk</fileName><diskMode>persistent</diskMode>"
                + "<sharing>sharingNone</sharing><keyId><keyId>8d3a6f2e</keyId></keyId></backing>"), xml);
    }

    @Test
    void aFaultInARequestIsWrittenWithoutTouchingThrowableInternals() {
        com.vmware.vim25.SystemError reason = new com.vmware.vim25.SystemError();
        reason.reason = "disk 2 unreadable";
        com.vmware.vim25.LocalizedMethodFault fault = new com.vmware.vim25.LocalizedMethodFault();
        fault.fault = reason;
        fault.localizedMessage = "disk 2 unreadable";
        Argument[] arguments = {new Argument("_this", "ManagedObjectReference", mor("Task", "task-9")),
            new Argument("state", "TaskInfoState", com.vmware.vim25.TaskInfoState.error),
            new Argument("result", "Object", null),
            new Argument("fault", "LocalizedMethodFault", fault)};
        assertTrue(writer.isNeededFor(arguments), "yavijava's XmlGen logs an error per Throwable field on Java 17");
        String xml = writer.write("SetTaskState", arguments, VimSoapClient.VIM25_NAMESPACE);
        assertTrue(xml.contains("<_this type=\"Task\">task-9</_this><state>error</state><fault>"
                + "<fault xsi:type=\"SystemError\"><reason>disk 2 unreadable</reason></fault>"
                + "<localizedMessage>disk 2 unreadable</localizedMessage></fault></SetTaskState>"), xml);
    }

    @Test
    void plainVim25RequestsAreLeftToYavijava() {
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.changeTrackingEnabled = true;
        assertFalse(writer.isNeededFor(new Argument[] {
            new Argument("_this", "ManagedObjectReference", mor("VirtualMachine", "vm-1")),
            new Argument("spec", "VirtualMachineConfigSpec", spec)}));
    }
}
