package io.hotadd.agent.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The central server's callback endpoint, played by WireMock: failing twice, then accepting. */
@QuarkusTest
class ApiCallbackTest {
    private final WireMockServer central = new WireMockServer(options().dynamicPort());

    @Inject
    FakeWorld world;

    @BeforeEach
    void start() {
        central.start();
    }

    @AfterEach
    void stop() {
        central.stop();
    }

    @Test
    void theFinalJobDocumentIsDeliveredWithRetries() {
        central.stubFor(post(urlPathEqualTo("/hooks/jobs")).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("second"));
        central.stubFor(post(urlPathEqualTo("/hooks/jobs")).inScenario("flaky").whenScenarioStateIs("second")
                .willReturn(aResponse().withFault(com.github.tomakehurst.wiremock.http.Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("third"));
        central.stubFor(post(urlPathEqualTo("/hooks/jobs")).inScenario("flaky").whenScenarioStateIs("third")
                .willReturn(aResponse().withStatus(204)).willSetStateTo("done"));
        world.vm("callback-web", 1, 1);
        String id = api().contentType("application/json").body("{\"vm\": {\"name\": \"callback-web\"}, "
                + "\"callbackUrl\": \"http://localhost:" + central.port() + "/hooks/jobs?token=abc\"}")
                .post("/api/v1/backups").then().statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED");

        awaitRequests(urlEqualTo("/hooks/jobs?token=abc"), 3);
        ApiJobsTest.sleep(500); // no fourth attempt after the success
        central.verify(3, postRequestedFor(urlEqualTo("/hooks/jobs?token=abc"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(matchingJsonPath("$.id", equalTo(id)))
                .withRequestBody(matchingJsonPath("$.state", equalTo("SUCCEEDED")))
                .withRequestBody(matchingJsonPath("$.restorePointId")));
        assertEquals("done", central.getAllScenarios().getScenarios().get(0).getState());
    }

    @Test
    void aRefusedCallbackIsNotRetried() {
        central.stubFor(post("/gone").willReturn(aResponse().withStatus(410)));
        String id = api().contentType("application/json").body("{\"callbackUrl\": \"http://localhost:" + central.port()
                + "/gone\"}").post("/api/v1/repository/verify").then().statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED");
        awaitRequests(urlEqualTo("/gone"), 1);
        ApiJobsTest.sleep(500); // a retry would come after 50 ms
        central.verify(1, postRequestedFor(urlEqualTo("/gone")));
    }

    /** The first callback may take a while: the JDK's HTTP client starts up on first use. */
    private void awaitRequests(com.github.tomakehurst.wiremock.matching.UrlPattern url, int count) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (central.findAll(postRequestedFor(url)).size() < count && System.nanoTime() < deadline) {
            ApiJobsTest.sleep(20);
        }
    }
}
