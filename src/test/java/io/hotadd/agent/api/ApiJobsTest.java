package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static io.hotadd.agent.api.ApiTestSupport.backupBody;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The happy paths of the job API on the fake vCenter. */
@QuarkusTest
class ApiJobsTest {
    @Inject
    FakeWorld world;

    @AfterEach
    void letReadsGo() {
        world.guest.beforeRead = offset -> { };
    }

    private static ExtractableResponse<Response> start(String body) {
        return api().contentType("application/json").body(body).post("/api/v1/backups").then().statusCode(202)
                .extract();
    }

    @Test
    void aBackupIsAcceptedFollowedAndEndsWithARestorePoint() {
        FakeVm vm = world.vm("happy-web", 2, 2);
        ExtractableResponse<Response> accepted = start(backupBody("happy-web"));
        String id = accepted.path("id");
        assertEquals("/api/v1/jobs/" + id, java.net.URI.create(accepted.header("Location")).getPath());
        assertEquals(vm.moref, accepted.path("vm.moref"));
        assertEquals("QUEUED", accepted.path("state"));
        assertEquals("gold", accepted.path("tags.policy"));

        awaitState(id, "SUCCEEDED");
        String rp = api().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("type", equalTo("BACKUP")).body("error", nullValue()).body("progress.percent", equalTo(100.0f))
                .body("disks.size()", equalTo(2)).body("startedAt", notNullValue()).body("finishedAt", notNullValue())
                .extract().path("restorePointId");
        assertArrayEquals(world.vc.diskBytes(vm, 2001), world.repo.imageBytes(rp, 2001));
        assertEquals(List.of(), world.vc.leftovers(world.proxy));

        api().get("/api/v1/restore-points/" + rp).then().statusCode(200).body("jobId", equalTo(id))
                .body("vmInstanceUuid", equalTo(vm.instanceUuid)).body("disks.size()", equalTo(2));
        api().queryParam("vm", vm.instanceUuid).get("/api/v1/restore-points").then().statusCode(200)
                .body("restorePoints.size()", equalTo(1));
        api().delete("/api/v1/restore-points/" + rp).then().statusCode(204);
        api().get("/api/v1/restore-points/" + rp).then().statusCode(404);
    }

    @Test
    void aRetriedRequestWithTheSameKeyGetsTheSameJob() {
        world.vm("retry-web", 1, 1);
        String body = "{\"mode\": \"auto\", \"vm\": {\"name\": \"retry-web\"}}";
        String reordered = "{ \"vm\" : { \"name\" : \"retry-web\" } , \"mode\" : \"auto\" }";
        String first = api().header("Idempotency-Key", "retry-1").contentType("application/json").body(body)
                .post("/api/v1/backups").then().statusCode(202).extract().path("id");
        api().header("Idempotency-Key", "retry-1").contentType("application/json").body(reordered)
                .post("/api/v1/backups").then().statusCode(202).header(Accepted.REPLAYED, "true")
                .body("id", equalTo(first));
        awaitState(first, "SUCCEEDED");
    }

    @Test
    void cancelStopsTheReadsAndLeavesNothingBehind() throws Exception {
        world.vm("cancel-web", 1, 8);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        world.guest.beforeRead = offset -> {
            reading.countDown();
            await(cancelled);
        };
        String id = start(backupBody("cancel-web")).path("id");
        assertTrue(reading.await(15, TimeUnit.SECONDS), "the backup started reading");
        api().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(202).body("state", equalTo("CANCELLING"));
        cancelled.countDown();
        awaitState(id, "CANCELLED");
        api().get("/api/v1/jobs/" + id).then().body("error.type", equalTo(ProblemDocument.TYPE_BASE + "cancelled"))
                .body("restorePointId", nullValue());
        long done = ((Number) api().get("/api/v1/jobs/" + id).then().extract().path("progress.bytesDone")).longValue();
        assertTrue(done < 8 * FakeWorld.MIB, "reading stopped early: " + done);
        assertEquals(List.of(), world.vc.leftovers(world.proxy));
        assertEquals(List.of(), world.vc.violations());
    }

    @Test
    void eventsStreamStateAndProgressAndEndAfterTheTerminalState() throws Exception {
        world.vm("sse-web", 1, 4);
        CountDownLatch subscribed = new CountDownLatch(1);
        world.guest.beforeRead = offset -> {
            await(subscribed);
            sleep(60); // slower than the progress interval, so progress events appear between reads
        };
        String id = start(backupBody("sse-web")).path("id");
        List<String> events = new ArrayList<>();
        Thread reader = new Thread(() -> events.addAll(SseClient.read(id, subscribed)));
        reader.start(); // the job waits in its first read until the stream delivered its first event
        reader.join(30_000);
        List<String> names = events.stream().filter(l -> l.startsWith("event:")).map(l -> l.substring(6).trim())
                .toList();
        assertEquals("state", names.get(0), names.toString());
        assertTrue(names.contains("phase"), names.toString());
        assertTrue(names.stream().filter("progress"::equals).count() >= 2, names.toString());
        String last = events.stream().filter(l -> l.startsWith("data:")).reduce((a, b) -> b).orElseThrow();
        assertTrue(last.contains("\"state\":\"SUCCEEDED\""), last);
        assertEquals("state", names.get(names.size() - 1));
    }

    @Test
    void pagesAreChainedByTheLinkHeader() {
        for (int i = 0; i < 5; i++) {
            world.vm("page-web-" + i, 1, 1);
            awaitState(start(backupBody("page-web-" + i)).path("id"), "SUCCEEDED");
        }
        List<String> seen = new ArrayList<>();
        String url = "/api/v1/jobs?limit=2&state=SUCCEEDED";
        int pages = 0;
        while (url != null && pages++ < 100) {
            ExtractableResponse<Response> page = api().get(url).then().statusCode(200).extract();
            seen.addAll(page.path("jobs.id"));
            String link = page.header("Link");
            url = link == null ? null : link.substring(link.indexOf('<') + 1, link.indexOf('>'));
        }
        List<String> all = api().queryParam("limit", 200).queryParam("state", "SUCCEEDED").get("/api/v1/jobs")
                .then().extract().path("jobs.id");
        assertEquals(all, seen);
        assertTrue(seen.size() >= 5);
        String someCursor = api().get("/api/v1/jobs?limit=1&state=SUCCEEDED").then().extract().path("next");
        api().queryParam("cursor", someCursor).get("/api/v1/jobs").then().statusCode(400)
                .body("type", equalTo(ProblemDocument.TYPE_BASE + "invalid-cursor"));
    }

    @Test
    void aVerifyJobReportsTheRepository() {
        String id = api().post("/api/v1/repository/verify").then().statusCode(202).body("type", equalTo("VERIFY"))
                .extract().path("id");
        awaitState(id, "SUCCEEDED");
        api().get("/api/v1/jobs/" + id).then().body("verification.problems.size()", equalTo(0))
                .body("vm", nullValue());
    }

    @Test
    void theProxyReportsItsSlotsJobsAndRepository() {
        api().get("/api/v1/proxy").then().statusCode(200).body("vm.moref", equalTo(world.proxy.moref))
                .body("controllers.size()", equalTo(4)).body("controllers[0].capacity", equalTo(15))
                .body("jobs.maxJobs", equalTo(4)).body("repository.writable", equalTo(true))
                .body("readiness.startup.up", equalTo(true)).body("version", notNullValue());
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
