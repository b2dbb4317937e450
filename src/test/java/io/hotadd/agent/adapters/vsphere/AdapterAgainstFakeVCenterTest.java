package io.hotadd.agent.adapters.vsphere;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.COOKIE_A;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.COOKIE_B;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.fault;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.ok;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.soap;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.VSphereException;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapter's answers to what a simulator cannot stage at will, against a WireMock vCenter: paged changed
 * areas, faults on removals, ambiguous names, file service status codes and an expired session.
 */
class AdapterAgainstFakeVCenterTest {

    private static final long MIB = 1024 * 1024;
    private static final VmRef VM = new VmRef("vm-42");
    private static final SnapshotRef SNAPSHOT = new SnapshotRef("snapshot-43");

    @TempDir
    static Path certificates;
    static TestCertificate certificate;
    static FakeVCenter vc;

    private VSphereSession session;
    private YavijavaVSphere vsphere;

    @BeforeAll
    static void startFakeVCenter() throws Exception {
        certificate = TestCertificate.create(certificates, "vcenter-ops");
        vc = FakeVCenter.start(certificate);
    }

    @AfterAll
    static void stopFakeVCenter() {
        vc.close();
    }

    @BeforeEach
    void connect() {
        vc.server.resetAll();
        vc.withSessionFlow();
        session = VSphereSession.open(VSphereSettings.of(vc.url(), certificate.pinnedSha256()),
                new VSphereCredentials(FakeVCenter.USER, "pw".toCharArray()));
        vsphere = new YavijavaVSphere(session, VSphereAdapterOptions.defaults());
    }

    @AfterEach
    void disconnect() {
        vsphere.close();
        session.close();
    }

    @Test
    void changedAreasPageThroughThreeWindowsAndMergeAcrossTheirEdges() {
        String[] windows = {
            VimFixtures.diskChangeInfo(0, MIB, 0, 65536, MIB - 65536, 65536),
            VimFixtures.diskChangeInfo(MIB, MIB, MIB, 65536, MIB + MIB / 2, 65536, MIB + MIB / 2 + 65536, 4096),
            VimFixtures.diskChangeInfo(2 * MIB, MIB, 3 * MIB - 65536, 65536)};
        String state = STARTED;
        for (int i = 0; i < windows.length; i++) {
            vc.server.stubFor(soap("QueryChangedDiskAreas").inScenario("pages").whenScenarioStateIs(state)
                    .willSetStateTo("page-" + (i + 1)).willReturn(ok(windows[i])));
            state = "page-" + (i + 1);
        }

        List<Extent> areas = vsphere.changedAreas(VM, SNAPSHOT, 2000, 3 * MIB, "52 aa/7");

        assertEquals(List.of(new Extent(0, 65536), new Extent(MIB - 65536, 131072),
                new Extent(MIB + MIB / 2, 65536 + 4096), new Extent(3 * MIB - 65536, 65536)), areas);
        List<String> starts = vc.calls("QueryChangedDiskAreas").stream()
                .map(r -> r.getBodyAsString().replaceAll(".*<startOffset>(\\d+)</startOffset>.*", "$1")).toList();
        assertEquals(List.of("0", String.valueOf(MIB), String.valueOf(2 * MIB)), starts);
        assertTrue(vc.calls("QueryChangedDiskAreas").get(0).getBodyAsString()
                .contains("<snapshot type=\"VirtualMachineSnapshot\">snapshot-43</snapshot>"));
    }

    @Test
    void aChangeIdVCenterNoLongerAcceptsBecomesChangeIdRejectedAndOtherFaultsStayWhatTheyAre() {
        vc.server.stubFor(soap("QueryChangedDiskAreas").willReturn(fault(SoapFixtures.fault("InvalidArgument",
                "<invalidProperty>changeId</invalidProperty>", "A specified parameter was not correct: changeId"))));
        VSphereException.ChangeIdRejected reset = assertThrows(VSphereException.ChangeIdRejected.class,
                () -> vsphere.changedAreas(VM, SNAPSHOT, 2000, MIB, "52 aa/7"));
        assertTrue(reset.getMessage().contains("reset") && reset.getMessage().contains("full backup"),
                reset.getMessage());

        vc.server.stubFor(soap("QueryChangedDiskAreas").willReturn(fault(SoapFixtures.fault("FileFault",
                "<file>[ds1] db01/db01-ctk.vmdk</file>", "Error caused by file db01-ctk.vmdk"))));
        assertThrows(VSphereException.ChangeIdRejected.class,
                () -> vsphere.changedAreas(VM, SNAPSHOT, 2000, MIB, "52 aa/7"));

        vc.server.stubFor(soap("QueryChangedDiskAreas").willReturn(fault(SoapFixtures.fault("InvalidArgument",
                "<invalidProperty>deviceKey</invalidProperty>", "A specified parameter was not correct: deviceKey"))));
        VSphereException.Fault badKey = assertThrows(VSphereException.Fault.class,
                () -> vsphere.changedAreas(VM, SNAPSHOT, 2001, MIB, "52 aa/7"));
        assertEquals("InvalidArgument", badKey.faultType());
    }

    @Test
    void removingWhatIsAlreadyGoneIsDone() {
        String missing = SoapFixtures.fault("ManagedObjectNotFound", "<obj type=\"VirtualMachineSnapshot\">"
                + "snapshot-43</obj>", "The object 'vim.vm.Snapshot:snapshot-43' has already been deleted");
        vc.server.stubFor(soap("RemoveSnapshot_Task").willReturn(fault(missing)));
        vsphere.removeSnapshot(SNAPSHOT);

        vc.server.stubFor(soap("Destroy_Task").willReturn(ok(VimFixtures.returnsRef("Destroy_Task", "Task", "task-9"))));
        vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(ok(VimFixtures.retrieveResult("Task", "task-9",
                "info", "TaskInfo", VimFixtures.taskInfo("task-9", "vm-42", "error", -1, VimFixtures.taskError(
                        "ManagedObjectNotFound", "<obj type=\"VirtualMachine\">vm-42</obj>", "deleted"))))));
        vsphere.destroy(VM);

        vc.server.stubFor(soap("EnableMethods").willReturn(fault(SoapFixtures.fault("ManagedObjectNotFound",
                "<obj type=\"VirtualMachine\">vm-42</obj>", "deleted"))));
        vsphere.enableMethods(VM, List.of("RelocateVM_Task"), "io.hotadd.agent");

        vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(fault(SoapFixtures.fault("ManagedObjectNotFound",
                "<obj type=\"VirtualMachine\">vm-42</obj>", "deleted"))));
        vsphere.detachDisks(VM, List.of(2016, 2017));
        assertEquals(0, vc.calls("ReconfigVM_Task").size());
    }

    @Test
    void aNameSeveralVmsShareIsRefusedWithTheirMorefsAndTheViewIsDropped() {
        vc.server.stubFor(soap("CreateContainerView").willReturn(ok(VimFixtures.returnsRef("CreateContainerView",
                "ContainerView", "session[52b4f2c1]view-1"))));
        vc.server.stubFor(soap("DestroyView").willReturn(ok(SoapFixtures.empty("DestroyView"))));
        vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(ok(SoapFixtures.response("RetrievePropertiesEx",
                "<returnval>" + named("vm-7", "web01") + named("vm-12", "web01") + named("vm-13", "web02")
                        + named("vm-14", "db%2fprod") + "</returnval>"))));

        VSphereException.Ambiguous e = assertThrows(VSphereException.Ambiguous.class,
                () -> vsphere.find(new VmSelector.ByName("web01")));
        assertEquals(List.of("vm-12", "vm-7"), e.candidates());
        assertTrue(e.getMessage().contains("vm-7") && e.getMessage().contains("vm-12"), e.getMessage());
        assertTrue(e.getMessage().contains("moref or instance UUID"), e.getMessage());
        assertEquals(1, vc.calls("DestroyView").size());
        assertTrue(vc.calls("RetrievePropertiesEx").get(0).getBodyAsString().contains("<path>view</path>"));

        VSphereException.NotFound none = assertThrows(VSphereException.NotFound.class,
                () -> vsphere.find(new VmSelector.ByName("web03")));
        assertTrue(none.getMessage().contains("VM named 'web03'"), none.getMessage());
        assertEquals(2, vc.calls("DestroyView").size());
    }

    private static String named(String moref, String name) {
        return "<objects><obj type=\"VirtualMachine\">" + moref + "</obj><propSet><name>name</name>"
                + "<val xsi:type=\"xsd:string\">" + name + "</val></propSet></objects>";
    }

    @Test
    void fileServiceSendsTheSessionCookieAndMapsStatusCodes() {
        vc.server.stubFor(get(urlEqualTo("/folder/db%20one/db%20one.nvram?dcPath=DC%201&dsName=ds%201"))
                .withHeader("Cookie", equalTo(COOKIE_A)).willReturn(aResponse().withStatus(200).withBody("NVRAM")));
        vc.server.stubFor(get(urlPathMatching("/folder/gone.*")).willReturn(aResponse().withStatus(404)));
        vc.server.stubFor(put(urlPathMatching("/folder/.*")).willReturn(aResponse().withStatus(201)));

        assertArrayEquals("NVRAM".getBytes(StandardCharsets.US_ASCII),
                vsphere.download("DC 1", "[ds 1] db one/db one.nvram"));
        VSphereException.NotFound missing = assertThrows(VSphereException.NotFound.class,
                () -> vsphere.download("DC 1", "[ds 1] gone.nvram"));
        assertTrue(missing.getMessage().contains("[ds 1] gone.nvram"), missing.getMessage());

        byte[] content = "restored nvram".getBytes(StandardCharsets.US_ASCII);
        vsphere.upload("DC 1", "[ds 1] db one/db one.nvram", new ByteArrayInputStream(content), content.length);
        vc.server.verify(putRequestedFor(urlEqualTo("/folder/db%20one/db%20one.nvram?dcPath=DC%201&dsName=ds%201"))
                .withHeader("Cookie", equalTo(COOKIE_A)).withHeader("Content-Length", equalTo("14"))
                .withRequestBody(equalTo("restored nvram")));
        assertThrows(IllegalArgumentException.class, () -> vsphere.download("DC 1", "no brackets.nvram"));
    }

    @Test
    void aDownloadRefusedForAnExpiredSessionLogsInAgainAndIsSentOnceMore() {
        vc.server.stubFor(get(urlPathMatching("/folder/.*")).withHeader("Cookie", equalTo(COOKIE_A))
                .willReturn(aResponse().withStatus(401)));
        vc.server.stubFor(get(urlPathMatching("/folder/.*")).withHeader("Cookie", equalTo(COOKIE_B))
                .willReturn(aResponse().withStatus(200).withBody("fresh")));
        vc.server.stubFor(soap("CurrentTime").withHeader("Cookie", equalTo(COOKIE_A))
                .willReturn(fault(SoapFixtures.notAuthenticated())));
        vc.server.stubFor(soap("CurrentTime").withHeader("Cookie", equalTo(COOKIE_B)).willReturn(ok(
                SoapFixtures.response("CurrentTime", "<returnval>2023-03-14T09:12:44.912Z</returnval>"))));

        assertArrayEquals("fresh".getBytes(StandardCharsets.US_ASCII), vsphere.download("DC0", "[ds] vm/vm.nvram"));
        assertEquals(2, session.logins());
    }
}
