package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static io.hotadd.agent.api.ApiTestSupport.backupBody;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each bad request gets the right 4xx as application/problem+json, and nothing is created in vCenter. */
@QuarkusTest
class ApiBadInputTest {
    @Inject
    FakeWorld world;

    private static ValidatableResponse problem(ValidatableResponse r, int status, String type) {
        return r.statusCode(status).contentType(ProblemDocument.MEDIA_TYPE)
                .body("type", equalTo(ProblemDocument.TYPE_BASE + type)).body("status", equalTo(status))
                .body("title", org.hamcrest.Matchers.notNullValue()).body("detail", org.hamcrest.Matchers.notNullValue());
    }

    private static ValidatableResponse postBackup(String json) {
        return api().contentType("application/json").body(json).post("/api/v1/backups").then();
    }

    private int jobCount() {
        return api().queryParam("limit", 200).get("/api/v1/jobs").then().statusCode(200).extract().path("jobs.size()");
    }

    @Test
    void malformedJson() {
        problem(postBackup("{\"vm\": {\"name\": \"x\"}"), 400, "malformed-json")
                .body("instance", equalTo("/api/v1/backups"));
    }

    @Test
    void unknownFieldsAreRefusedNamingTheField() {
        problem(postBackup("{\"vm\": {\"name\": \"web\"}, \"mdoe\": \"full\"}"), 400, "unknown-field")
                .body("detail", containsString("'mdoe'"));
        problem(postBackup("{\"vm\": {\"name\": \"web\", \"uuid\": \"1\"}}"), 400, "unknown-field")
                .body("detail", containsString("vm.uuid"));
    }

    @Test
    void invalidValuesNameTheField() {
        problem(postBackup("{\"vm\": {\"name\": \"a\", \"moref\": \"vm-1\"}}"), 400, "invalid-request")
                .body("detail", containsString("exactly one way"));
        problem(postBackup("{\"vm\": {\"name\": \"a\"}, \"mode\": \"weekly\"}"), 400, "invalid-request")
                .body("detail", containsString("'weekly'"));
        problem(postBackup("{\"vm\": {\"name\": \"a\"}, \"callbackUrl\": \"ftp://x/y\"}"), 400, "invalid-request")
                .body("detail", containsString("callbackUrl"));
        problem(postBackup("{\"vm\": {\"name\": \"a\"}, \"quiesce\": \"maybe\"}"), 400, "invalid-request")
                .body("detail", containsString("'quiesce'"));
        problem(postBackup(""), 400, "invalid-request");
    }

    @Test
    void anUnknownVmIs422AndCreatesNothing() {
        int before = jobCount();
        List<String> changes = world.changingCalls();
        problem(postBackup(backupBody("no-such-vm")), 422, "vm-not-found")
                .body("detail", startsWith("VM named 'no-such-vm'"));
        problem(postBackup("{\"vm\": {\"moref\": \"vm-99999\"}}"), 422, "vm-not-found");
        assertEquals(before, jobCount());
        assertEquals(changes, world.changingCalls(), "no snapshot, clone, attach or other change in vCenter");
    }

    @Test
    void aVmThatFailsPreflightIs422WithItsReasonAndCreatesNothing() {
        FakeVm vm = world.vm("legacy-ide", 1, 1);
        vm.controllers.add(new ControllerInfo(200, 0, ControllerType.IDE));
        world.vc.addDisk(vm, 200, 0, FakeWorld.MIB);
        int before = jobCount();
        problem(postBackup(backupBody("legacy-ide")), 422, "preflight/non-scsi-disk")
                .body("detail", containsString("Move the disk to a SCSI controller"));
        assertEquals(before, jobCount());
        assertEquals(List.of(), world.changesOn(vm), "no snapshot, clone, CBT change or method lock on the VM");
        assertEquals(false, world.changingCalls().stream().anyMatch(c -> c.contains(vm.moref)));
    }

    @Test
    void anIdempotencyKeyReusedWithAnotherBodyIs409() {
        world.vm("idem-web", 1, 1);
        String id = api().header("Idempotency-Key", "key-A").contentType("application/json")
                .body(backupBody("idem-web")).post("/api/v1/backups").then().statusCode(202).extract().path("id");
        problem(api().header("Idempotency-Key", "key-A").contentType("application/json")
                .body("{\"vm\": {\"name\": \"idem-web\"}, \"mode\": \"full\"}").post("/api/v1/backups").then(), 409,
                "idempotency-key-reused").body("detail", containsString(id));
        awaitState(id, "SUCCEEDED");
    }

    @Test
    void cancellingAFinishedJobIs409() {
        world.vm("done-web", 1, 1);
        String id = postBackup(backupBody("done-web")).statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED");
        problem(api().post("/api/v1/jobs/" + id + "/cancel").then(), 409, "job-finished")
                .body("detail", containsString("SUCCEEDED"));
    }

    @Test
    void absurdLimitsAndForgedCursorsAre400() {
        problem(api().queryParam("limit", 0).get("/api/v1/jobs").then(), 400, "invalid-limit");
        problem(api().queryParam("limit", 201).get("/api/v1/jobs").then(), 400, "invalid-limit");
        problem(api().queryParam("limit", "lots").get("/api/v1/jobs").then(), 400, "invalid-limit");
        problem(api().queryParam("state", "SLEEPING").get("/api/v1/jobs").then(), 400, "invalid-request");
        String forged = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("0|0|zzz|state=[]&vm=".getBytes()) + ".AAAA";
        problem(api().queryParam("cursor", forged).get("/api/v1/jobs").then(), 400, "invalid-cursor");
        problem(api().queryParam("cursor", "garbage").get("/api/v1/jobs").then(), 400, "invalid-cursor");
    }

    @Test
    void noTokenOrAWrongOneIs401WithAChallenge() {
        problem(given().get("/api/v1/jobs").then(), 401, "unauthorized")
                .header("WWW-Authenticate", equalTo("Bearer realm=\"hotadd-agent\""));
        problem(given().header("Authorization", "Bearer not-the-token").get("/api/v1/jobs").then(), 401,
                "unauthorized").header("WWW-Authenticate", containsString("error=\"invalid_token\""));
        problem(given().header("Authorization", "Basic dGVzdDp0ZXN0").get("/api/v1/jobs").then(), 401, "unauthorized");
        problem(given().contentType("application/json").body(backupBody("x")).post("/api/v1/backups").then(), 401,
                "unauthorized");
    }

    @Test
    void aTenMegabyteBodyIs413() {
        byte[] big = new byte[10 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        problem(api().contentType("application/json").body(big).post("/api/v1/backups").then(), 413,
                "body-too-large");
    }

    @Test
    void unknownRoutesMethodsAndMediaTypes() {
        problem(api().get("/api/v1/nothing-here").then(), 404, "not-found");
        problem(api().get("/").then(), 404, "not-found");
        problem(api().delete("/api/v1/jobs").then(), 405, "method-not-allowed");
        problem(api().contentType("text/plain").body("vm=web").post("/api/v1/backups").then(), 415,
                "unsupported-media-type");
        problem(api().get("/api/v1/jobs/no-such-job").then(), 404, "job-not-found");
        problem(api().post("/api/v1/jobs/no-such-job/cancel").then(), 404, "job-not-found");
        problem(api().get("/api/v1/jobs/no-such-job/events").then(), 404, "job-not-found");
        problem(api().get("/api/v1/restore-points/rp-none").then(), 404, "restore-point-not-found");
        problem(api().delete("/api/v1/restore-points/rp-none").then(), 404, "restore-point-not-found");
    }

    @Test
    void aVerifyBodyIsOptionalButMustBeJsonWhenSent() {
        problem(api().contentType("application/json").body("{\"tags\": ").post("/api/v1/repository/verify").then(),
                400, "malformed-json");
        problem(api().contentType("application/json").body("{\"tag\": {}}").post("/api/v1/repository/verify").then(),
                400, "unknown-field");
        problem(api().contentType("text/plain").body("now").post("/api/v1/repository/verify").then(), 415,
                "unsupported-media-type");
        problem(api().header("Idempotency-Key", "two words").post("/api/v1/repository/verify").then(), 400,
                "invalid-idempotency-key");
    }
}
