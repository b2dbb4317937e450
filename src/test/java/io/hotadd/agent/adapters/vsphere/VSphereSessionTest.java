package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.COOKIE_A;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.COOKIE_B;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.fault;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.ok;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.soap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.vmware.vim25.ManagedObjectNotFound;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session and SOAP client against a WireMock vCenter over https. */
class VSphereSessionTest {

    @TempDir
    static Path certificates;
    static TestCertificate certificate;
    static FakeVCenter vc;

    @BeforeAll
    static void startFakeVCenter() throws Exception {
        certificate = TestCertificate.create(certificates, "vcenter-a");
        vc = FakeVCenter.start(certificate);
    }

    @AfterAll
    static void stopFakeVCenter() {
        vc.close();
    }

    @BeforeEach
    void resetFakeVCenter() {
        vc.server.resetAll();
        vc.withSessionFlow();
    }

    private VSphereSession open(VSphereSettings settings) {
        return VSphereSession.open(settings, new VSphereCredentials(FakeVCenter.USER, "s3cr3t-pw".toCharArray()));
    }

    private VSphereSession open() {
        return open(VSphereSettings.of(vc.url(), certificate.pinnedSha256()));
    }

    private static RetrieveResult retrieveVm(VSphereSession session) {
        return session.call("read the configuration", "VirtualMachine:vm-1042", (vim, content) -> {
            PropertySpec properties = new PropertySpec();
            properties.type = "VirtualMachine";
            properties.pathSet = new String[] {"config", "runtime.host"};
            ObjectSpec object = new ObjectSpec();
            object.obj = VSphereSession.mor("VirtualMachine", "vm-1042");
            PropertyFilterSpec filter = new PropertyFilterSpec();
            filter.propSet = new PropertySpec[] {properties};
            filter.objectSet = new ObjectSpec[] {object};
            return vim.retrievePropertiesEx(content.propertyCollector, new PropertyFilterSpec[] {filter},
                    new RetrieveOptions());
        });
    }

    private static String cookieOf(LoggedRequest request) {
        return request.containsHeader("Cookie") ? request.getHeader("Cookie") : null;
    }

    @Test
    void opensWithTheNewestApiVersionLogsInAndLogsOut() {
        VSphereSession session = open();
        assertEquals("7.0.3.0", session.apiVersion());
        assertEquals(1, session.logins());
        assertEquals(2, session.soapRoundTrips());
        LoggedRequest login = vc.calls("Login").get(0);
        assertEquals("urn:vim25/7.0.3.0", login.getHeader("SOAPAction"));
        assertEquals(COOKIE_A, cookieOf(login));
        assertEquals("SessionManager", session.serviceContent().sessionManager.val);
        assertEquals(1L, session.skippedXml().snapshot().get("field:ServiceContent.vStorageObjectManager"));

        session.close();
        session.close();
        assertEquals(1, vc.calls("Logout").size());
        assertEquals(COOKIE_A, cookieOf(vc.calls("Logout").get(0)));
        assertThrows(IllegalStateException.class, () -> retrieveVm(session));
    }

    @Test
    void apiVersionCanBeCappedPinnedOrLearntFromAboutInfo() {
        VSphereSettings settings = VSphereSettings.of(vc.url(), certificate.pinnedSha256());
        try (VSphereSession capped = open(settings.withApiVersion(ApiVersionPolicy.newestUpTo("6.7.3")))) {
            assertEquals("6.7.3", capped.apiVersion());
        }
        try (VSphereSession exact = open(settings.withApiVersion(ApiVersionPolicy.exactly("6.5")))) {
            assertEquals("6.5", exact.apiVersion());
            assertEquals("urn:vim25/6.5", vc.calls("Login").get(vc.calls("Login").size() - 1).getHeader("SOAPAction"));
        }
        VSphereException.InvalidSettings unknown = assertThrows(VSphereException.InvalidSettings.class,
                () -> open(settings.withApiVersion(ApiVersionPolicy.exactly("9.9"))));
        assertTrue(unknown.getMessage().contains("7.0.3.0"), unknown.getMessage());

        vc.server.stubFor(get(urlEqualTo("/sdk/vimServiceVersions.xml")).willReturn(aResponse().withStatus(404)));
        int before = vc.calls("RetrieveServiceContent").size();
        try (VSphereSession learnt = open(settings)) {
            assertEquals("7.0.3.0", learnt.apiVersion());
            List<LoggedRequest> contents = vc.calls("RetrieveServiceContent");
            assertEquals(before + 2, contents.size());
            assertEquals("urn:vim25/6.0", contents.get(before).getHeader("SOAPAction"));
            assertEquals("urn:vim25/7.0.3.0", contents.get(before + 1).getHeader("SOAPAction"));
        }
    }

    @Test
    void expiredSessionLogsInAgainAndRetriesOnceWithTheNewCookie() {
        vc.server.stubFor(soap("RetrievePropertiesEx").withHeader("Cookie", equalTo(COOKIE_A))
                .willReturn(fault(SoapFixtures.notAuthenticated())));
        vc.server.stubFor(soap("RetrievePropertiesEx").withHeader("Cookie", equalTo(COOKIE_B))
                .willReturn(ok(SoapFixtures.golden(SoapFixtures.GOLDEN_VM))));
        try (VSphereSession session = open()) {
            RetrieveResult result = retrieveVm(session);
            assertEquals("vm-1042", result.objects[0].obj.val);
            List<LoggedRequest> calls = vc.calls("RetrievePropertiesEx");
            assertEquals(2, calls.size());
            assertEquals(COOKIE_A, cookieOf(calls.get(0)));
            assertEquals(COOKIE_B, cookieOf(calls.get(1)), "the retry must carry the NEW session cookie");
            List<LoggedRequest> logins = vc.calls("Login");
            assertEquals(2, logins.size());
            assertNull(cookieOf(logins.get(1)), "the re-login must not present the rejected cookie");
            assertEquals(2, session.logins());
            assertEquals(5, session.soapRoundTrips());

            retrieveVm(session);
            assertEquals(COOKIE_B, cookieOf(vc.calls("RetrievePropertiesEx").get(2)));
            assertEquals(2, session.logins());
        }
        assertEquals(COOKIE_B, cookieOf(vc.calls("Logout").get(0)));
    }

    @Test
    void sessionRejectedAgainAfterReloginIsNotAuthenticatedWithoutLooping() {
        vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(fault(SoapFixtures.notAuthenticated())));
        try (VSphereSession session = open()) {
            VSphereException.NotAuthenticated e = assertThrows(VSphereException.NotAuthenticated.class,
                    () -> retrieveVm(session));
            assertFalse(e.isRetriable());
            assertTrue(e.getMessage().contains("read the configuration on VirtualMachine:vm-1042"), e.getMessage());
            assertTrue(e.getMessage().contains("The session is not authenticated."), e.getMessage());
            assertEquals(2, vc.calls("RetrievePropertiesEx").size());
            assertEquals(2, session.logins());
        }
    }

    @Test
    void concurrentCallersRejectedTogetherCauseOneLogin() throws Exception {
        vc.server.stubFor(soap("RetrievePropertiesEx").withHeader("Cookie", equalTo(COOKIE_A))
                .willReturn(fault(SoapFixtures.notAuthenticated()).withFixedDelay(300)));
        vc.server.stubFor(soap("RetrievePropertiesEx").withHeader("Cookie", equalTo(COOKIE_B))
                .willReturn(ok(SoapFixtures.golden(SoapFixtures.GOLDEN_VM))));
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try (VSphereSession session = open()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<RetrieveResult>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return retrieveVm(session);
                }));
            }
            start.countDown();
            for (Future<RetrieveResult> result : results) {
                assertEquals("vm-1042", result.get(20, TimeUnit.SECONDS).objects[0].obj.val);
            }
            assertEquals(2, session.logins(), "one initial login and exactly one re-login");
            assertEquals(1, vc.calls("Login").stream().filter(r -> cookieOf(r) == null).count());
            long rejected = vc.calls("RetrievePropertiesEx").stream().filter(r -> COOKIE_A.equals(cookieOf(r))).count();
            assertTrue(rejected >= 2, "the test must really have concurrent rejections, had " + rejected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void soapFaultsArriveAsTypedExceptionsOverHttp() {
        vc.server.stubFor(soap("CreateSnapshot_Task").willReturn(fault(SoapFixtures.fault("TaskInProgress",
                "<task type=\"Task\">task-77</task>", "Another task is already in progress."))));
        vc.server.stubFor(soap("RemoveSnapshot_Task").willReturn(fault(SoapFixtures.fault("ManagedObjectNotFound",
                "<obj type=\"VirtualMachineSnapshot\">snapshot-9</obj>", "The object has already been deleted"))));
        try (VSphereSession session = open()) {
            VSphereException.TaskInProgress busy = assertThrows(VSphereException.TaskInProgress.class,
                    () -> session.call("create snapshot 'hotadd-1'", "VirtualMachine:vm-42", (vim, c) ->
                            vim.createSnapshot_Task(VSphereSession.mor("VirtualMachine", "vm-42"), "hotadd-1", null,
                                    false, false)));
            assertTrue(busy.isRetriable());
            assertTrue(busy.getMessage().contains("create snapshot 'hotadd-1' on VirtualMachine:vm-42"));
            VSphereException.NotFound gone = assertThrows(VSphereException.NotFound.class,
                    () -> session.call("remove snapshot", "VirtualMachineSnapshot:snapshot-9", (vim, c) ->
                            vim.removeSnapshot_Task(VSphereSession.mor("VirtualMachineSnapshot", "snapshot-9"),
                                    false, true)));
            assertInstanceOf(ManagedObjectNotFound.class, gone.getCause());
            assertEquals(1, session.logins(), "a fault other than NotAuthenticated must not re-login");
        }
    }

    @Test
    void truncatedMalformedAndNonSoapResponsesAreClearTransportErrors() {
        String golden = SoapFixtures.golden(SoapFixtures.GOLDEN_VM);
        try (VSphereSession session = open()) {
            vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(ok(golden.substring(0, golden.length() / 3))));
            VSphereException.Transport truncated = assertThrows(VSphereException.Transport.class,
                    () -> retrieveVm(session));
            assertFalse(truncated.isRetriable());
            assertTrue(truncated.getMessage().contains("malformed or truncated"), truncated.getMessage());
            assertTrue(truncated.getMessage().contains("RetrievePropertiesEx on PropertyCollector:propertyCollector"),
                    truncated.getMessage());
            assertTrue(truncated.getMessage().contains(vc.url()), truncated.getMessage());

            vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(ok(golden.replace("</hardware>", "</hw>"))));
            assertFalse(assertThrows(VSphereException.Transport.class, () -> retrieveVm(session)).isRetriable());

            vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(aResponse().withStatus(502)
                    .withHeader("Content-Type", "text/html").withBody("<html><body>502 Bad Gateway</body></html>")));
            VSphereException.Transport gateway =
                    assertThrows(VSphereException.Transport.class, () -> retrieveVm(session));
            assertTrue(gateway.isRetriable());
            assertTrue(gateway.getMessage().contains("HTTP 502"), gateway.getMessage());

            vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(aResponse()
                    .withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER)));
            assertTrue(assertThrows(VSphereException.Transport.class, () -> retrieveVm(session)).isRetriable());

            vc.server.stubFor(soap("RetrievePropertiesEx").willReturn(aResponse()
                    .withFault(com.github.tomakehurst.wiremock.http.Fault.MALFORMED_RESPONSE_CHUNK)));
            assertTrue(assertThrows(VSphereException.Transport.class, () -> retrieveVm(session)).isRetriable());
        }
    }

    @Test
    void slowResponsesHitTheReadTimeout() {
        VSphereSettings settings = VSphereSettings.of(vc.url(), certificate.pinnedSha256())
                .withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(800));
        try (VSphereSession session = open(settings)) {
            vc.server.stubFor(soap("RetrievePropertiesEx")
                    .willReturn(ok(SoapFixtures.golden(SoapFixtures.GOLDEN_VM)).withFixedDelay(4000)));
            long started = System.nanoTime();
            VSphereException.Timeout late = assertThrows(VSphereException.Timeout.class, () -> retrieveVm(session));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000);
            assertTrue(late.isRetriable());
            assertTrue(late.getMessage().contains("did not answer RetrievePropertiesEx"), late.getMessage());

            // headers arrive at once, the body trickles: the timeout covers the whole exchange
            vc.server.stubFor(soap("RetrievePropertiesEx")
                    .willReturn(ok(SoapFixtures.golden(SoapFixtures.GOLDEN_VM)).withChunkedDribbleDelay(20, 4000)));
            started = System.nanoTime();
            assertThrows(VSphereException.Timeout.class, () -> retrieveVm(session));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 3000);
        }
    }

    @Test
    void refusedCredentialsAreNotAuthenticatedAndNeverShowThePassword() {
        vc.server.stubFor(soap("Login").willReturn(fault(SoapFixtures.fault("InvalidLogin", "",
                "Cannot complete login due to an incorrect user name or password."))));
        VSphereException.NotAuthenticated e = assertThrows(VSphereException.NotAuthenticated.class, this::open);
        assertTrue(e.getMessage().contains("user name or password"), e.getMessage());
        assertTrue(e.getMessage().contains(FakeVCenter.USER), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t-pw"));
        assertFalse(new VSphereCredentials("u", "s3cr3t-pw".toCharArray()).toString().contains("s3cr3t"));
    }
}
