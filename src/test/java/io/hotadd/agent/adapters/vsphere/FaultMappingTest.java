package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.FileLocked;
import com.vmware.vim25.InvalidPowerState;
import com.vmware.vim25.ManagedObjectNotFound;
import com.vmware.vim25.MethodDisabled;
import com.vmware.vim25.MethodFault;
import com.vmware.vim25.NoPermission;
import com.vmware.vim25.TaskInProgress;
import com.vmware.vim25.VirtualMachinePowerState;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** SOAP fault bodies as vCenter sends them -> vim25 fault objects -> the agent's exception types. */
class FaultMappingTest {

    private static final String ACTION = "create snapshot 'hotadd-42'";
    private static final String OBJECT = "VirtualMachine:vm-42";

    private final SkippedXmlCounter skipped = new SkippedXmlCounter();
    private final TolerantVimDeserializer deserializer =
            new TolerantVimDeserializer(VimTypeRegistry.withProjectTypes(), skipped);

    private MethodFault readFault(String xml) {
        return assertThrows(MethodFault.class, () -> deserializer.fromXML("ManagedObjectReference",
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("NoPermission", "<object type=\"VirtualMachine\">vm-42</object>"
                        + "<privilegeId>VirtualMachine.State.CreateSnapshot</privilegeId>",
                        VSphereException.NoPermission.class, false, "'VirtualMachine.State.CreateSnapshot'"),
                Arguments.of("ManagedObjectNotFound", "<obj type=\"VirtualMachine\">vm-42</obj>",
                        VSphereException.NotFound.class, false, "VirtualMachine:vm-42 does not exist"),
                Arguments.of("NotFound", "", VSphereException.NotFound.class, false, "does not exist"),
                Arguments.of("InvalidPowerState", "<requestedState>poweredOn</requestedState>"
                        + "<existingState>poweredOff</existingState>",
                        VSphereException.InvalidState.class, false, "(InvalidPowerState)"),
                Arguments.of("InvalidState", "", VSphereException.InvalidState.class, false, "state"),
                Arguments.of("TaskInProgress", "<task type=\"Task\">task-77</task>",
                        VSphereException.TaskInProgress.class, true, "Task:task-77"),
                Arguments.of("FileLocked", "<file>[ds1] db01/db01-flat.vmdk</file>",
                        VSphereException.FileLocked.class, true, "'[ds1] db01/db01-flat.vmdk' is locked"),
                Arguments.of("MethodDisabled", "<source>com.example.backup</source>",
                        VSphereException.MethodDisabled.class, true, "disabled by 'com.example.backup'"),
                Arguments.of("InvalidArgument", "<invalidProperty>spec.snapshot</invalidProperty>",
                        VSphereException.Fault.class, false, "'spec.snapshot'"),
                Arguments.of("NotSupported", "", VSphereException.Fault.class, false, "fault NotSupported"),
                Arguments.of("InvalidLogin", "", VSphereException.NotAuthenticated.class, false, "password"),
                Arguments.of("NotAuthenticated", "<object type=\"Folder\">group-d1</object>"
                        + "<privilegeId>System.View</privilegeId>",
                        VSphereException.NotAuthenticated.class, false, "even after logging in again"),
                Arguments.of("HostCommunication", "", VSphereException.Fault.class, true, "retried"),
                Arguments.of("Timedout", "", VSphereException.Timeout.class, true, "(Timedout)"),
                Arguments.of("VmNvmeDeviceFutureFault", "<deviceKey>31000</deviceKey>",
                        VSphereException.Fault.class, false, "fault VmNvmeDeviceFutureFault"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void faultBecomesTypedException(String type, String fields, Class<? extends VSphereException> expected,
                                    boolean retriable, String messagePart) {
        MethodFault fault = readFault(SoapFixtures.fault(type, fields, "vCenter text for " + type));
        VSphereException e = FaultTranslator.translate(fault, ACTION, OBJECT, null);
        assertSame(expected, e.getClass(), e.getMessage());
        assertEquals(retriable, e.isRetriable());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertTrue(e.getMessage().contains("vCenter said: \"vCenter text for " + type + "\""), e.getMessage());
        assertEquals("vCenter text for " + type, e.vCenterMessage().orElseThrow());
        assertEquals(type, e.faultType());
        assertSame(fault, e.getCause());
    }

    @Test
    void faultFieldsAreFilledOnTheVim25Classes() {
        NoPermission noPermission = (NoPermission) readFault(SoapFixtures.fault("NoPermission",
                "<object type=\"VirtualMachine\">vm-42</object><privilegeId>VirtualMachine.State.CreateSnapshot"
                        + "</privilegeId>", "Permission to perform this operation was denied."));
        assertEquals("VirtualMachine.State.CreateSnapshot", noPermission.privilegeId);
        assertEquals("vm-42", noPermission.object.val);
        VSphereException.NoPermission mapped = (VSphereException.NoPermission)
                FaultTranslator.translate(noPermission, ACTION, OBJECT, null);
        assertEquals("VirtualMachine.State.CreateSnapshot", mapped.privilegeId().orElseThrow());

        InvalidPowerState power = (InvalidPowerState) readFault(SoapFixtures.fault("InvalidPowerState",
                "<existingState>poweredOff</existingState>", "The attempted operation cannot be performed"));
        assertEquals(VirtualMachinePowerState.poweredOff, power.existingState);
        TaskInProgress busy = (TaskInProgress) readFault(SoapFixtures.fault("TaskInProgress",
                "<task type=\"Task\">task-77</task>", "Another task is already in progress."));
        assertEquals("Task", busy.task.type);
        FileLocked locked = (FileLocked) readFault(SoapFixtures.fault("FileLocked",
                "<file>[ds1] a.vmdk</file>", "Unable to access file [ds1] a.vmdk since it is locked"));
        assertEquals("[ds1] a.vmdk", locked.file);
        MethodDisabled disabled = (MethodDisabled) readFault(SoapFixtures.fault("MethodDisabled",
                "<source>com.example.backup</source>", "The method is disabled by 'com.example.backup'"));
        assertEquals("com.example.backup", ((VSphereException.MethodDisabled)
                FaultTranslator.translate(disabled, ACTION, OBJECT, null)).source().orElseThrow());
        SoapFaultText text = assertInstanceOf(SoapFaultText.class, disabled.detail);
        assertEquals("ServerFaultCode", text.faultCode());
        assertTrue(disabled.getMessage().contains("The method is disabled by 'com.example.backup'"));
    }

    @Test
    void detailWithoutXsiTypeIsNamedByItsElement() {
        MethodFault fault = readFault(SoapFixtures.envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                + "<faultstring>The object 'vim.VirtualMachine:vm-9' has already been deleted or has not been"
                + " completely created</faultstring><detail><ManagedObjectNotFoundFault xmlns=\"urn:vim25\">"
                + "<obj type=\"VirtualMachine\">vm-9</obj></ManagedObjectNotFoundFault></detail></soapenv:Fault>"));
        ManagedObjectNotFound missing = assertInstanceOf(ManagedObjectNotFound.class, fault);
        assertEquals("vm-9", missing.obj.val);
        VSphereException e = FaultTranslator.translate(fault, "remove snapshot", "VirtualMachine:vm-9", null);
        assertInstanceOf(VSphereException.NotFound.class, e);
        assertTrue(e.getMessage().contains("has already been deleted"), e.getMessage());
    }

    @Test
    void unknownFaultTypeIsCountedAndStillCarriesVCenterText() {
        MethodFault fault = readFault(SoapFixtures.fault("VmNvmeDeviceFutureFault", "<deviceKey>31000</deviceKey>",
                "Something new went wrong"));
        assertSame(MethodFault.class, fault.getClass());
        assertEquals(1L, skipped.snapshot().get("type:VmNvmeDeviceFutureFault"));
        assertEquals(1L, skipped.snapshot().get("field:MethodFault.deviceKey"));
    }

    @Test
    void faultWithoutDetailKeepsTheFaultString() {
        MethodFault fault = readFault(SoapFixtures.envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode>"
                + "<faultstring>InvalidRequest: no vmomi type defined for 'DisableMethods'</faultstring>"
                + "</soapenv:Fault>"));
        VSphereException e = FaultTranslator.translate(fault, "disable methods", OBJECT, null);
        assertInstanceOf(VSphereException.Fault.class, e);
        assertEquals("MethodFault", e.faultType());
        assertTrue(e.getMessage().contains("no vmomi type defined for 'DisableMethods'"), e.getMessage());
    }
}
