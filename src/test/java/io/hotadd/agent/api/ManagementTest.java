package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The management port: health, Prometheus metrics, and the OpenAPI document, which must match docs/openapi.yaml. */
@QuarkusTest
class ManagementTest {
    static final Path COMMITTED = Path.of("docs/openapi.yaml");

    @TestHTTPResource(value = "", management = true)
    URL managementRoot;

    /** http://host:port/q, whatever random port the test run got. */
    private String q() {
        return managementRoot.toString().replaceAll("/+$", "");
    }

    @Inject
    FakeWorld world;

    @Test
    void livenessAndReadinessReportEachCondition() {
        given().get(q() + "/health/live").then().statusCode(200).body("status", equalTo("UP"));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (given().get(q() + "/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            ApiJobsTest.sleep(50);
        }
        given().get(q() + "/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItems("startup", "vcenter", "proxy-layout", "repository"));
    }

    @Test
    void readinessGoesDownWhenTheRepositoryCannotBeWritten() {
        world.repo.unwritable("the NFS export is read-only");
        try {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (given().get(q() + "/health/ready").statusCode() != 503 && System.nanoTime() < deadline) {
                ApiJobsTest.sleep(100);
            }
            given().get(q() + "/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'repository' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'repository' }.data.detail", containsString("read-only"));
        } finally {
            world.repo.unwritable(null);
        }
    }

    @Test
    void metricsCountJobsBytesAndCleanups() {
        world.vm("metrics-web", 1, 1);
        String id = api().contentType("application/json").body(ApiTestSupport.backupBody("metrics-web"))
                .post("/api/v1/backups").then().statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED");
        String metrics = given().get(q() + "/metrics").then().statusCode(200).extract().asString();
        for (String name : new String[] {"hotadd_jobs{state=\"SUCCEEDED\"}", "hotadd_read_bytes_total",
                "hotadd_stored_bytes_total", "hotadd_vcenter_soap_calls_total", "hotadd_slots_in_use",
                "hotadd_cleanup_steps_total{phase=\"REMOVING_SNAPSHOT\"}", "hotadd_jobs_ended_total",
                "hotadd_cleanups_incomplete_total", "hotadd_vcenter_xml_skipped_total{kind=\"unknown_field\"}"}) {
            org.junit.jupiter.api.Assertions.assertTrue(metrics.contains(name), name + " in\n" + metrics);
        }
    }

    /**
     * The committed document is what the agent serves. Regenerate it with
     * {@code mvn test -Dtest=ManagementTest -Dopenapi.update=true} after changing the API.
     */
    @Test
    void theCommittedOpenApiDocumentIsWhatTheAgentServes() throws Exception {
        String served = given().queryParam("format", "yaml").get(q() + "/openapi").then().statusCode(200)
                .extract().asString();
        if (Boolean.getBoolean("openapi.update")) {
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(COMMITTED, StandardCharsets.UTF_8), served,
                "docs/openapi.yaml is stale; regenerate it with -Dopenapi.update=true");
    }
}
