package io.hotadd.agent.api;

import static io.hotadd.agent.api.ApiTestSupport.api;
import static io.hotadd.agent.api.ApiTestSupport.awaitState;
import static io.hotadd.agent.api.ApiTestSupport.backupBody;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVcenterActivity;
import io.hotadd.agent.fakes.FakeVm;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The agent as a whole, as a vSphere administrator sees it (on the fake vCenter): the extension and the
 * appliance's managedBy set up at start, a task per job submitted over the API, and a Cancel clicked on that
 * task in vCenter ending the job CANCELLED in the API.
 */
@QuarkusTest
class ApiVcenterVisibilityTest {
    @Inject
    FakeWorld world;

    @AfterEach
    void letReadsGo() {
        world.guest.beforeRead = offset -> { };
    }

    @Test
    void atStartTheExtensionIsRegisteredAndTheApplianceIsManagedByIt() {
        await(() -> world.activity.managedBy.containsKey(new VmRef(world.proxy.moref)), "appliance marked");
        assertEquals("io.hotadd.agent", world.activity.extension.key());
        assertEquals("io.hotadd.agent/appliance", world.activity.managedBy.get(new VmRef(world.proxy.moref)));
    }

    @Test
    void aBackupThroughTheApiIsATaskInVcenterThatEndsInSuccessWithTheAttributeSet() {
        FakeVm vm = world.vm("vis-api-ok", 1, 1);
        String id = api().contentType("application/json").body(backupBody("vis-api-ok")).post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
        awaitState(id, "SUCCEEDED");
        String rp = api().get("/api/v1/jobs/" + id).then().extract().path("restorePointId");
        VmRef ref = new VmRef(vm.moref);
        await(() -> world.activity.attributesOn(ref).containsKey("Last backup"), "attribute set");
        FakeVcenterActivity.Task task = world.activity.tasksOn(ref).get(0);
        assertEquals("success", task.state);
        assertTrue(world.activity.attributesOn(ref).get("Last backup").contains("restore point " + rp + ", job " + id));
    }

    @Test
    void aCancelClickedOnTheTaskInVcenterCancelsTheJob() throws Exception {
        FakeVm vm = world.vm("vis-api-cancel", 1, 8);
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch mayGo = new CountDownLatch(1);
        world.guest.beforeRead = offset -> {
            reading.countDown();
            try {
                mayGo.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        String id = api().contentType("application/json").body(backupBody("vis-api-cancel")).post("/api/v1/backups")
                .then().statusCode(202).extract().path("id");
        assertTrue(reading.await(15, TimeUnit.SECONDS), "the backup started reading");
        VmRef ref = new VmRef(vm.moref);
        await(() -> !world.activity.tasksOn(ref).isEmpty(), "task created");
        world.activity.cancelInVcenter(world.activity.tasksOn(ref).get(0).id);
        awaitState(id, "CANCELLING", "CANCELLED");
        mayGo.countDown();
        awaitState(id, "CANCELLED");
        api().get("/api/v1/jobs/" + id).then().body("error.type", equalTo(ProblemDocument.TYPE_BASE + "cancelled"));
        await(() -> "error".equals(world.activity.tasksOn(ref).get(0).state), "task ended");
        assertTrue(world.activity.tasksOn(ref).get(0).error.startsWith("Cancelled from vCenter."));
        assertEquals(List.of(), world.vc.leftovers(world.proxy));
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
