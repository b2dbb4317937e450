package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** POST /api/v1/proxy/cleanup on the fake vCenter: what an interrupted job left is listed, then removed. */
@QuarkusTest
class ApiCleanupTest {
    @Inject
    FakeWorld world;

    /** A snapshot named as the agent names them and the agent's methods disabled, as a killed job leaves them. */
    private FakeVm orphaned(String name) {
        FakeVm vm = world.vm(name, 1, 1);
        VmRef ref = new VmRef(vm.moref);
        EngineSettings s = EngineSettings.defaults();
        world.vc.disableMethods(ref, s.methodsToDisable(), s.methodSourceId());
        world.vc.createSnapshot(ref, "hotadd-20300101-000000-" + name, "left by a killed job", false);
        return vm;
    }

    private VmInfo read(FakeVm vm) {
        return world.vc.read(new VmRef(vm.moref)).orElseThrow();
    }

    @Test
    void dryRunListsTheActionsThenCleanupCarriesThemOut() {
        FakeVm vm = orphaned("orph1");

        List<Map<String, Object>> planned = api().post("/api/v1/proxy/cleanup?dryRun=true").then().statusCode(200)
                .body("dryRun", equalTo(true)).extract().path("actions.findAll { it.vm == '" + vm.moref + "' }");
        assertEquals(List.of("remove-snapshot", "enable-methods"), planned.stream().map(a -> a.get("kind")).toList());
        assertTrue(planned.stream().allMatch(a -> "PLANNED".equals(a.get("outcome"))), planned.toString());
        assertEquals(1, read(vm).allSnapshots().size(), "a dry run changes nothing");

        List<Map<String, Object>> done = api().post("/api/v1/proxy/cleanup").then().statusCode(200)
                .body("dryRun", equalTo(false)).extract().path("actions.findAll { it.vm == '" + vm.moref + "' }");
        assertEquals(List.of("DONE", "DONE"), done.stream().map(a -> a.get("outcome")).toList(), done.toString());
        assertEquals(List.of(), read(vm).allSnapshots());
        assertEquals(List.of(), read(vm).disabledMethods());
    }

    @Test
    void badDryRunIsAProblemAndTheEndpointNeedsTheToken() {
        api().post("/api/v1/proxy/cleanup?dryRun=maybe").then().statusCode(400)
                .contentType("application/problem+json").body("detail", endsWith("got 'maybe'."));
        given().post("/api/v1/proxy/cleanup").then().statusCode(401);
    }
}
