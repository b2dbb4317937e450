package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static io.hotadd.agent.api.ApiTestSupport.backupBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The running agent takes back by itself what a job's own cleanup could not: no restart, no call to
 * POST /api/v1/proxy/cleanup. Here the proxy refuses the detach while the job cleans up, then recovers.
 */
@QuarkusTest
@TestProfile(ApiLeftoverRetryTest.FastRetry.class)
class ApiLeftoverRetryTest {
    @Inject
    FakeWorld world;

    public static class FastRetry implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotadd.jobs.cleanup-retry-interval", "1s");
        }
    }

    @Test
    void whatAJobCouldNotCleanUpIsTakenBackWhileTheAgentRuns() throws InterruptedException {
        FakeVm vm = world.vm("stuck-web", 2, 1);
        world.vc.faults().failNext("detachDisks", null, 100, () -> new VSphereException.InvalidState(
                "the proxy is busy", "InvalidState", null, null));
        String id = api().contentType("application/json").body(backupBody("stuck-web")).post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED", "FAILED");
        List<String> warnings = api().get("/api/v1/jobs/" + id).then().extract().path("warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.contains("could not detach")), warnings.toString());
        assertTrue(world.vc.leftovers(world.proxy).stream().anyMatch(l -> l.startsWith("snapshot")),
                world.vc.leftovers(world.proxy).toString());

        world.vc.faults().clear(); // the proxy answers again
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!world.vc.leftovers(world.proxy).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }

        assertEquals(List.of(), world.vc.leftovers(world.proxy), "disks, clone and snapshot taken back");
        assertEquals(List.of(), world.vc.read(new VmRef(vm.moref)).orElseThrow()
                .disabledMethods(), "Storage vMotion enabled again");
        assertEquals(List.of(), world.vc.violations());
    }
}
