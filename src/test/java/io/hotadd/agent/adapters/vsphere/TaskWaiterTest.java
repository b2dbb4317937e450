package io.hotadd.agent.adapters.vsphere;

import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.ok;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.soap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphereException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for vCenter tasks, against a WireMock vCenter: progress, deadlines, task errors, filter hygiene. */
class TaskWaiterTest {

    private static final String TASK = "task-7";
    private static final String VM = "vm-42";
    private static final String FILTER = "session[52b4f2c1]filter-3";
    private static final Pattern MAX_WAIT = Pattern.compile("<maxWaitSeconds>(\\d+)</maxWaitSeconds>");

    @TempDir
    static Path certificates;
    static TestCertificate certificate;
    static FakeVCenter vc;

    private final List<Integer> progress = new CopyOnWriteArrayList<>();
    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private VSphereSession session;
    private YavijavaVSphere vsphere;

    @BeforeAll
    static void startFakeVCenter() throws Exception {
        certificate = TestCertificate.create(certificates, "vcenter-tasks");
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
        vc.server.stubFor(soap("ReconfigVM_Task").willReturn(ok(VimFixtures.returnsRef("ReconfigVM_Task", "Task",
                TASK))));
        vc.server.stubFor(soap("CreatePropertyCollector").willReturn(ok(VimFixtures.returnsRef(
                "CreatePropertyCollector", "PropertyCollector", "session[52b4f2c1]pc-1"))));
        vc.server.stubFor(soap("CreateFilter").willReturn(ok(VimFixtures.returnsRef("CreateFilter",
                "PropertyFilter", FILTER))));
        vc.server.stubFor(soap("DestroyPropertyFilter").willReturn(ok(SoapFixtures.empty("DestroyPropertyFilter"))));
        session = VSphereSession.open(VSphereSettings.of(vc.url(), certificate.pinnedSha256()),
                new VSphereCredentials(FakeVCenter.USER, "pw".toCharArray()));
        // every look at the clock moves it 61 s on: deadlines pass in virtual time
        VSphereAdapterOptions options = VSphereAdapterOptions.defaults()
                .withDeadlines(TaskDeadlines.all(Duration.ofMinutes(5)))
                .withClock(() -> now.getAndAdd(61_000_000_000L))
                .withProgress((task, action, object, percent) -> progress.add(percent));
        vsphere = new YavijavaVSphere(session, options);
    }

    @AfterEach
    void disconnect() {
        vsphere.close();
        session.close();
    }

    private void taskInfoReads(String state, int percent) {
        vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(ok(VimFixtures.retrieveResult("Task", TASK,
                "info", "TaskInfo", VimFixtures.taskInfo(TASK, VM, state, percent, null)))));
    }

    private void waitAnswers(String... bodies) {
        String state = STARTED;
        for (int i = 0; i < bodies.length; i++) {
            String next = i == bodies.length - 1 ? state : "wait-" + (i + 1);
            vc.server.stubFor(soap("WaitForUpdatesEx").inScenario("wait").whenScenarioStateIs(state)
                    .willSetStateTo(next).willReturn(ok(bodies[i])));
            state = next;
        }
    }

    @Test
    void progressIsForwardedUntilTheTaskSucceedsAndTheFilterIsDestroyed() {
        taskInfoReads("running", 10);
        waitAnswers(VimFixtures.updateSet("1", FILTER, TASK, "enter", VimFixtures.taskInfo(TASK, VM, "running", 10,
                        null)),
                VimFixtures.partialUpdate("2", FILTER, TASK, VimFixtures.change("info.progress", "xsd:int", "40")),
                VimFixtures.updateSet("3", FILTER, TASK, "modify", VimFixtures.taskInfo(TASK, VM, "success", -1,
                        null)));

        vsphere.setChangeTracking(new VmRef(VM), true);

        assertEquals(List.of(10, 40, 100), progress);
        List<LoggedRequest> waits = vc.calls("WaitForUpdatesEx");
        assertEquals(3, waits.size());
        assertTrue(waits.get(0).getBodyAsString().contains("<version></version>"), "first wait asks for state");
        assertTrue(waits.get(2).getBodyAsString().contains("<version>2</version>"), "then waits for changes");
        assertEquals(1, vc.calls("CreateFilter").size());
        assertTrue(vc.calls("CreateFilter").get(0).getBodyAsString().contains("<pathSet>info</pathSet>"));
        assertEquals(1, vc.calls("DestroyPropertyFilter").size());
        assertTrue(vc.calls("DestroyPropertyFilter").get(0).getBodyAsString().contains(FILTER));
    }

    @Test
    void aTaskAlreadyOverCostsOneReadAndNoFilter() {
        taskInfoReads("success", -1);
        vsphere.setChangeTracking(new VmRef(VM), false);
        assertEquals(List.of(100), progress);
        assertEquals(0, vc.calls("CreateFilter").size());
        assertEquals(0, vc.calls("WaitForUpdatesEx").size());
        assertEquals(1, vc.calls("RetrievePropertiesEx").size());
    }

    @Test
    void theDeadlineEndsTheWaitWithATimeoutThatNamesTaskObjectAndActionAndLeavesTheTaskAlone() {
        taskInfoReads("running", 5);
        vc.server.stubFor(soap("WaitForUpdatesEx").willReturn(ok(SoapFixtures.empty("WaitForUpdatesEx"))));

        VSphereException.Timeout e = assertThrows(VSphereException.Timeout.class,
                () -> vsphere.setChangeTracking(new VmRef(VM), true));

        assertTrue(e.getMessage().contains(TASK), e.getMessage());
        assertTrue(e.getMessage().contains("VirtualMachine:" + VM), e.getMessage());
        assertTrue(e.getMessage().contains("enable changed block tracking"), e.getMessage());
        assertTrue(e.getMessage().contains("5 min"), e.getMessage());
        assertTrue(e.getMessage().contains("did not cancel"), e.getMessage());
        assertTrue(e.isRetriable());
        assertEquals(0, vc.calls("CancelTask").size());
        assertEquals(1, vc.calls("DestroyPropertyFilter").size(), "the filter goes even on a timeout");
        List<LoggedRequest> waits = vc.calls("WaitForUpdatesEx");
        assertFalse(waits.isEmpty());
        assertTrue(waits.size() <= 5, "each wait uses up virtual time: " + waits.size());
        for (LoggedRequest wait : waits) {
            Matcher m = MAX_WAIT.matcher(wait.getBodyAsString());
            assertTrue(m.find(), wait.getBodyAsString());
            int seconds = Integer.parseInt(m.group(1));
            assertTrue(seconds >= 1 && seconds <= 90, "maxWaitSeconds " + seconds + " must stay below the 120 s"
                    + " read timeout");
        }
    }

    @Test
    void aTaskEndingInErrorSurfacesItsFaultTyped() {
        taskInfoReads("running", -1);
        waitAnswers(VimFixtures.updateSet("1", FILTER, TASK, "enter", VimFixtures.taskInfo(TASK, VM, "error", -1,
                VimFixtures.taskError("InvalidPowerState", "<requestedState>poweredOn</requestedState>"
                        + "<existingState>suspended</existingState>", "The VM is suspended."))));

        VSphereException.InvalidState e = assertThrows(VSphereException.InvalidState.class,
                () -> vsphere.setChangeTracking(new VmRef(VM), true));

        assertEquals("InvalidPowerState", e.faultType());
        assertEquals("The VM is suspended.", e.vCenterMessage().orElseThrow());
        assertTrue(e.getMessage().contains("enable changed block tracking"), e.getMessage());
        assertTrue(e.getMessage().contains(TASK), e.getMessage());
        assertEquals(1, vc.calls("DestroyPropertyFilter").size());
    }

    @Test
    void consecutiveWaitsReuseOneCollectorOfTheirOwn() {
        taskInfoReads("running", -1);
        vc.server.stubFor(soap("WaitForUpdatesEx").willReturn(ok(VimFixtures.updateSet("1", FILTER, TASK, "enter",
                VimFixtures.taskInfo(TASK, VM, "success", -1, null)))));

        vsphere.setChangeTracking(new VmRef(VM), true);
        vsphere.setChangeTracking(new VmRef(VM), false);

        assertEquals(1, vc.calls("CreatePropertyCollector").size());
        for (LoggedRequest wait : vc.calls("WaitForUpdatesEx")) {
            assertTrue(wait.getBodyAsString().contains("pc-1</_this>"), "never the session's shared collector");
        }
        assertEquals(2, vc.calls("DestroyPropertyFilter").size());
    }
}
