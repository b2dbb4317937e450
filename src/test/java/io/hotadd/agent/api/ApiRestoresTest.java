package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POST /api/v1/restores on the fake vCenter and repository: each target restores what the backup holds as
 * a job like a backup's, and every refusal is the right 4xx problem with nothing created or changed.
 */
@QuarkusTest
class ApiRestoresTest {
    /** vCenter operations that create or change something; a refused restore makes none of them. */
    private static final Set<String> CHANGING = Set.of("createVm", "destroy", "attachDisks", "detachDisks",
            "setChangeTracking", "disableMethods", "enableMethods", "powerOn", "upload", "addSpareController");

    @Inject
    FakeWorld world;

    @TempDir
    Path images;

    private String backedUp(String vmName) {
        String job = api().contentType("application/json").body("{\"vm\": {\"name\": \"" + vmName + "\"}, "
                + "\"mode\": \"full\"}").post("/api/v1/backups").then().statusCode(202).extract().path("id");
        awaitState(job, "SUCCEEDED");
        return api().get("/api/v1/jobs/" + job).then().extract().path("restorePointId");
    }

    private static ValidatableResponse postRestore(String body) {
        return api().contentType("application/json").body(body).post("/api/v1/restores").then();
    }

    private static ExtractableResponse<Response> accepted(String body) {
        return postRestore(body).statusCode(202).body("type", equalTo("RESTORE")).extract();
    }

    private FakeVm named(String name) {
        return world.vc.vms().stream().filter(v -> v.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aNewVmIsCreatedWithTheBackedUpDisksAndTheJobNamesIt() {
        world.vm("rs-web", 2, 2);
        String point = backedUp("rs-web");

        ExtractableResponse<Response> r = accepted("{\"restorePointId\": \"" + point + "\", \"target\": {\"newVm\": "
                + "{\"name\": \"rs-web-restored\"}}, \"tags\": {\"ticket\": \"T-1\"}}");
        String id = r.path("id");
        assertEquals("/api/v1/jobs/" + id, java.net.URI.create(r.header("Location")).getPath());
        assertEquals(point, r.path("restorePointId"));
        assertEquals("rs-web-restored", r.path("vm.name"));

        assertEquals("SUCCEEDED", awaitState(id, "SUCCEEDED", "FAILED"));
        FakeVm restored = named("rs-web-restored");
        api().get("/api/v1/jobs/" + id).then().statusCode(200).body("vm.moref", equalTo(restored.moref))
                .body("phase", equalTo("DONE")).body("error", nullValue()).body("mode", nullValue())
                .body("tags.ticket", equalTo("T-1")).body("progress.percent", equalTo(100.0f))
                .body("disks.size()", equalTo(2));
        for (int key : List.of(2000, 2001)) {
            assertArrayEquals(world.repo.imageBytes(point, key), world.vc.diskBytes(restored, key), "disk " + key);
        }
        assertEquals(List.of(), world.vc.leftovers(world.proxy));
        assertEquals(List.of(), world.vc.violations());
    }

    @Test
    void disksOfAPoweredOffVmAreOverwritten() {
        world.vm("rs-db", 1, 2);
        String point = backedUp("rs-db");
        FakeVm target = world.vm("rs-db-target", 1, 2);
        target.power = PowerState.POWERED_OFF;
        world.vc.guestWrite(target, 2000, 0, new byte[] {1, 2, 3});

        String id = accepted("{\"restorePointId\": \"" + point + "\", \"target\": {\"existingVm\": {\"vm\": "
                + "{\"name\": \"rs-db-target\"}, \"disks\": [{\"sourceKey\": 2000, \"targetKey\": 2000}]}}}")
                .path("id");

        assertEquals("SUCCEEDED", awaitState(id, "SUCCEEDED", "FAILED"));
        api().get("/api/v1/jobs/" + id).then().body("vm.moref", equalTo(target.moref))
                .body("restorePointId", equalTo(point));
        assertArrayEquals(world.repo.imageBytes(point, 2000), world.vc.diskBytes(target, 2000));
        assertEquals(List.of(), world.vc.leftovers(world.proxy));
    }

    @Test
    void aDiskIsExportedAsARawImage() throws IOException {
        world.vm("rs-img", 2, 1);
        String point = backedUp("rs-img");
        Path image = images.resolve("rs-img-2001.img");

        String id = accepted("{\"restorePointId\": \"" + point + "\", \"target\": {\"image\": {\"path\": \""
                + image + "\", \"diskKey\": 2001}}}").path("id");

        assertEquals("SUCCEEDED", awaitState(id, "SUCCEEDED", "FAILED"));
        api().get("/api/v1/jobs/" + id).then().body("vm", nullValue());
        assertArrayEquals(world.repo.imageBytes(point, 2001), Files.readAllBytes(image));
    }

    @Test
    void refusedRestoresAreProblemsAndChangeNothing() throws IOException {
        world.vm("rs-no", 1, 1);
        String point = backedUp("rs-no");
        FakeVm running = world.vm("rs-no-running", 1, 1);
        Path taken = Files.writeString(images.resolve("taken.img"), "mine");
        long before = changingCalls();

        problem(postRestore("{\"restorePointId\": \"rp-none\", \"target\": {\"newVm\": {\"name\": \"x\"}}}"), 404,
                "restore/restore-point-not-found");
        problem(postRestore("{\"restorePointId\": \"" + point + "\", \"target\": {\"newVm\": {\"name\": "
                + "\"rs-no-running\"}}}"), 409, "restore/name-taken").body("detail", containsString("rs-no-running"));
        problem(postRestore(existing(point, "rs-no-running")), 409, "restore/target-powered-on")
                .body("detail", containsString("rs-no-running"));
        problem(postRestore(existing(point, "rs-nowhere")), 404, "restore/target-vm-not-found");
        problem(postRestore("{\"restorePointId\": \"" + point + "\", \"target\": {\"newVm\": {\"name\": \"n1\", "
                + "\"networks\": {\"Lab\": \"Prod\"}}}}"), 422, "restore/unknown-network");
        problem(postRestore(image(point, taken.toString(), 2000)), 409, "restore/image-exists");
        problem(postRestore(image(point, "relative.img", 2000)), 422, "restore/image-path-invalid");
        problem(postRestore(image(point, images.resolve("k.img").toString(), 2999)), 422, "restore/unknown-disk");

        assertEquals(before, changingCalls(), "a refused restore changed something in vCenter");
        assertFalse(world.vc.vms().stream().anyMatch(v -> v.name.equals("n1")));
        assertEquals("mine", Files.readString(taken));
        assertEquals(PowerState.POWERED_ON, running.power);
    }

    @Test
    void badBodiesAre400NamingTheField() {
        problem(postRestore("{\"target\": {\"newVm\": {\"name\": \"x\"}}}"), 400, "invalid-request")
                .body("detail", containsString("restorePointId"));
        problem(postRestore("{\"restorePointId\": \"rp\"}"), 400, "invalid-request")
                .body("detail", containsString("target"));
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {}}"), 400, "invalid-request");
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {\"newVm\": {\"name\": \"a\"}, \"image\": "
                + "{\"path\": \"/tmp/a\", \"diskKey\": 1}}}"), 400, "invalid-request")
                .body("detail", containsString("exactly one"));
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {\"newVM\": {\"name\": \"a\"}}}"), 400,
                "unknown-field").body("detail", containsString("newVM"));
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {\"image\": {\"path\": \"/tmp/a\", "
                + "\"diskKey\": 1}}, \"powerOn\": true}"), 400, "invalid-request")
                .body("detail", containsString("powerOn"));
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {\"existingVm\": {\"vm\": {\"name\": \"a\"},"
                + " \"disks\": []}}}"), 400, "invalid-request").body("detail", containsString("disks"));
        problem(postRestore("{\"restorePointId\": \"rp\", \"target\": {\"newVm\": {\"name\": \"\"}}}"), 400,
                "invalid-request").body("detail", containsString("name"));
        problem(postRestore("{\"restorePointId\": "), 400, "malformed-json");
    }

    private static String existing(String point, String vm) {
        return "{\"restorePointId\": \"" + point + "\", \"target\": {\"existingVm\": {\"vm\": {\"name\": \"" + vm
                + "\"}, \"disks\": [{\"sourceKey\": 2000, \"targetKey\": 2000}]}}}";
    }

    private static String image(String point, String path, int key) {
        return "{\"restorePointId\": \"" + point + "\", \"target\": {\"image\": {\"path\": \"" + path
                + "\", \"diskKey\": " + key + "}}}";
    }

    private long changingCalls() {
        return world.vc.faults().calls().stream().filter(c -> CHANGING.contains(c.split(" ")[0])).count();
    }

    private static ValidatableResponse problem(ValidatableResponse r, int status, String type) {
        return r.statusCode(status).contentType(ProblemDocument.MEDIA_TYPE)
                .body("type", equalTo(ProblemDocument.TYPE_BASE + type)).body("status", equalTo(status));
    }
}
