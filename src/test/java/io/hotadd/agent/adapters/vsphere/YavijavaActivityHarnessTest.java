package io.hotadd.agent.adapters.vsphere;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.CustomFieldStringValue;
import com.vmware.vim25.Event;
import com.vmware.vim25.EventFilterSpec;
import com.vmware.vim25.EventFilterSpecByEntity;
import com.vmware.vim25.EventFilterSpecRecursionOption;
import com.vmware.vim25.Extension;
import com.vmware.vim25.GeneralEvent;
import com.vmware.vim25.ManagedByInfo;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VcenterActivity.ExtensionSpec;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VcenterActivity and DatastoreFiles of the yavijava adapter on the simulator harness, read back over SOAP. */
class YavijavaActivityHarnessTest {

    private static final String KEY = "io.hotadd.agent";
    private static final ExtensionSpec EXTENSION = new ExtensionSpec(KEY, "1.0.0", "HotAdd project",
            "HotAdd backup agent", "Backs up VMs by SCSI HotAdd", List.of("io.hotadd.agent.backup"),
            List.of("io.hotadd.agent.backupDone"), Map.of("io.hotadd.agent.backup.label", "HotAdd backup",
            "io.hotadd.agent.backupDone.label", "HotAdd backup finished"));

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessWorld.PROXY));

    private static HarnessWorld world;
    private static PropertyReader properties;

    @BeforeAll
    static void connect() {
        world = HarnessWorld.open(VCSIM.vcsim(), VSphereAdapterOptions.defaults());
        properties = new PropertyReader(world.session);
    }

    @AfterAll
    static void disconnect() {
        if (world != null) {
            world.close();
        }
    }

    @AfterEach
    void noFaultsLeftAndNothingLeftOver() {
        world.control().clearFaults();
        world.assertClean();
    }

    private static Extension registered() {
        return world.session.call("find", "ExtensionManager",
                (vim, content) -> vim.findExtension(content.extensionManager, KEY));
    }

    @Test
    void theExtensionIsRegisteredOnceAndUpdatedWhenItsVersionMoves() {
        world.control().resetCalls();
        world.vsphere.registerExtension(EXTENSION);
        world.vsphere.registerExtension(EXTENSION);
        assertEquals(1L, world.control().calls().get("RegisterExtension"));
        assertEquals(null, world.control().calls().get("UpdateExtension"));
        Extension first = registered();
        assertEquals("1.0.0", first.version);
        assertEquals("HotAdd backup agent", first.description.label);
        assertEquals("io.hotadd.agent.backup", first.taskList[0].taskID);
        assertEquals("io.hotadd.agent.backupDone", first.eventList[0].eventID);
        assertTrue(Arrays.stream(first.resourceList).anyMatch(r -> "en".equals(r.locale) && "task".equals(r.module)
                && "HotAdd backup".equals(r.data[0].value)), "task label in the en resources");

        world.vsphere.registerExtension(new ExtensionSpec(KEY, "1.1.0", EXTENSION.company(), EXTENSION.label(),
                EXTENSION.summary(), EXTENSION.taskTypeIds(), EXTENSION.eventTypeIds(), EXTENSION.labels()));
        assertEquals(1L, world.control().calls().get("UpdateExtension"));
        assertEquals("1.1.0", registered().version);
    }

    @Test
    void theApplianceVmIsMarkedAsManagedByTheExtension() {
        world.vsphere.setManagedBy(world.proxy(), KEY, "appliance");
        ManagedByInfo managedBy = properties.retrieveOne("read", vmMor(world.proxy()), "config.managedBy")
                .get("config.managedBy", ManagedByInfo.class);
        assertEquals(KEY, managedBy.extensionKey);
        assertEquals("appliance", managedBy.type);
    }

    @Test
    void aTaskOfTheAgentShowsItsProgressAndEndsInSuccessOrError() {
        VmRef vm = world.proxy();
        String task = world.vsphere.createTask(vm, "io.hotadd.agent.backup", "hotadd-agent", true);
        world.vsphere.taskRunning(task);
        world.vsphere.taskProgress(task, 40, "Reading disk 1 of 2");
        TaskInfo running = taskInfo(task);
        assertEquals(TaskInfoState.running, running.state);
        assertEquals(40, running.progress);
        assertEquals("Reading disk 1 of 2", running.description.message);
        assertFalse(world.vsphere.taskCancelRequested(task));
        world.vsphere.taskFinished(task, null);
        assertEquals(TaskInfoState.success, taskInfo(task).state);

        String failing = world.vsphere.createTask(vm, "io.hotadd.agent.backup", "hotadd-agent", true);
        world.vsphere.taskRunning(failing);
        world.vsphere.taskFinished(failing, "Disk 2 could not be read: the datastore is offline");
        TaskInfo failed = taskInfo(failing);
        assertEquals(TaskInfoState.error, failed.state);
        assertEquals("Disk 2 could not be read: the datastore is offline", failed.error.localizedMessage);
    }

    @Test
    void aCancelRequestedInVCenterIsSeenByTheAgent() {
        String task = world.vsphere.createTask(world.proxy(), "io.hotadd.agent.backup", "hotadd-agent", true);
        world.vsphere.taskRunning(task);
        world.session.call("cancel", task, (vim, content) -> {
            vim.cancelTask(VSphereSession.mor("Task", task));
            return null;
        });
        assertTrue(world.vsphere.taskCancelRequested(task));
        world.vsphere.taskFinished(task, "cancelled by an administrator");
    }

    @Test
    void anEventIsLoggedOnTheVm() {
        VmRef vm = world.proxy();
        world.vsphere.logEvent(vm, "HotAdd backup of db01 finished: 2 disks, 512 MiB changed");
        EventFilterSpec filter = new EventFilterSpec();
        filter.entity = new EventFilterSpecByEntity();
        filter.entity.entity = vmMor(vm);
        filter.entity.recursion = EventFilterSpecRecursionOption.self;
        Event[] events = world.session.call("query events", vm.moref(),
                (vim, content) -> vim.queryEvents(content.eventManager, filter));
        assertTrue(Arrays.stream(events).anyMatch(e -> e instanceof GeneralEvent g
                && "HotAdd backup of db01 finished: 2 disks, 512 MiB changed".equals(g.message)), "event logged");
    }

    @Test
    void aCustomAttributeIsDefinedOnceAndFoundAgainWhenItExistsAlready() {
        VmRef vm = world.proxy();
        world.vsphere.setCustomValue(vm, "Last HotAdd backup", "2023-03-14 09:30 OK");
        world.vsphere.setCustomValue(vm, "Last HotAdd backup", "2023-03-15 09:30 OK");
        try (YavijavaVSphere restarted = new YavijavaVSphere(world.session, VSphereAdapterOptions.defaults())) {
            world.control().resetCalls();
            restarted.setCustomValue(vm, "Last HotAdd backup", "2023-03-16 09:30 OK"); // DuplicateName, looked up
            assertEquals(1L, world.control().calls().get("AddCustomFieldDef"));
        }
        List<CustomFieldStringValue> values = properties.retrieveOne("read", vmMor(vm), "customValue")
                .array("customValue", CustomFieldStringValue.class);
        assertEquals("2023-03-16 09:30 OK", values.get(values.size() - 1).value);
    }

    @Test
    void aFileUploadedToTheDatastoreDownloadsByteForByteAndAMissingOneIsNotFound() {
        VmInfo proxy = world.vsphere.read(world.proxy()).orElseThrow();
        String path = world.newFileOnProxyDatastore("contract.nvram");
        byte[] content = "NVRAM\0\1\2 of db01".getBytes(StandardCharsets.ISO_8859_1);
        world.vsphere.upload(proxy.datacenter(), path, new ByteArrayInputStream(content), content.length);
        assertArrayEquals(content, world.vsphere.download(proxy.datacenter(), path));
        assertThrows(VSphereException.NotFound.class, () -> world.vsphere.download(proxy.datacenter(),
                world.newFileOnProxyDatastore("missing.nvram")));
    }

    @Test
    void taskCallsSurfaceInjectedFaultsTyped() {
        VmRef vm = world.proxy();
        inject("CreateTask", "NoPermission");
        assertThrows(VSphereException.NoPermission.class,
                () -> world.vsphere.createTask(vm, "io.hotadd.agent.backup", "hotadd-agent", false));
        String task = world.vsphere.createTask(vm, "io.hotadd.agent.backup", "hotadd-agent", false);
        inject("SetTaskState", "InvalidState");
        assertThrows(VSphereException.InvalidState.class, () -> world.vsphere.taskRunning(task));
        world.vsphere.taskRunning(task);
        inject("UpdateProgress", "InvalidState");
        assertThrows(VSphereException.InvalidState.class, () -> world.vsphere.taskProgress(task, 10, null));
        inject("SetTaskDescription", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.taskProgress(task, 20, "x"));
        inject("RetrievePropertiesEx", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.taskCancelRequested(task));
        inject("SetTaskState", "InvalidState");
        assertThrows(VSphereException.InvalidState.class, () -> world.vsphere.taskFinished(task, "x"));
        world.vsphere.taskFinished(task, null);
        assertEveryRuleFiredOnce();
    }

    @Test
    void extensionEventAndAttributeCallsSurfaceInjectedFaultsTyped() {
        VmRef vm = world.proxy();
        ExtensionSpec other = new ExtensionSpec("io.hotadd.agent.faults", "1", "c", "l", "s", List.of(), List.of(),
                Map.of());
        inject("FindExtension", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.registerExtension(other));
        inject("RegisterExtension", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.registerExtension(other));
        world.vsphere.registerExtension(other);
        inject("UpdateExtension", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.registerExtension(
                new ExtensionSpec(other.key(), "2", "c", "l", "s", List.of(), List.of(), Map.of())));
        inject("LogUserEvent", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.logEvent(vm, "x"));
        inject("ReconfigVM_Task", "InvalidState");
        assertThrows(VSphereException.InvalidState.class, () -> world.vsphere.setManagedBy(vm, KEY, "appliance"));
        inject("AddCustomFieldDef", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.setCustomValue(vm, "Never", "x"));
        world.vsphere.setCustomValue(vm, "Sometimes", "x");
        inject("SetField", "NoPermission");
        assertThrows(VSphereException.NoPermission.class, () -> world.vsphere.setCustomValue(vm, "Sometimes", "y"));
        assertEveryRuleFiredOnce();
    }

    private static void assertEveryRuleFiredOnce() {
        List<FaultRule> rules = world.control().faults();
        assertTrue(rules.stream().allMatch(r -> r.hits() == 1), rules.toString());
    }

    @Test
    void theTaskWaiterFollowsATaskThroughWaitForUpdatesExUntilItEnds() throws Exception {
        String task = world.vsphere.createTask(world.proxy(), "io.hotadd.agent.backup", "hotadd-agent", false);
        world.vsphere.taskRunning(task);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        ExecutorService owner = Executors.newSingleThreadExecutor();
        try (PropertyCollectorPool pool = new PropertyCollectorPool(world.session)) {
            TaskWaiter waiter = new TaskWaiter(world.session, pool, DeadlineClock.system(),
                    (t, action, object, percent) -> seen.add(percent));
            Future<?> progress = owner.submit(() -> {
                pause(700);
                world.vsphere.taskProgress(task, 60, null);
                pause(700);
                world.vsphere.taskFinished(task, null);
            });
            world.control().resetCalls();
            waiter.run(new TaskWaiter.TaskRun("follow the agent's own task", "Task:" + task, Duration.ofSeconds(30)),
                    (vim, content) -> VSphereSession.mor("Task", task));
            progress.get();
        } finally {
            owner.shutdownNow();
        }
        assertEquals(List.of(60, 100), seen);
        Map<String, Long> calls = world.control().calls();
        assertTrue(calls.get("WaitForUpdatesEx") >= 2, calls.toString());
        assertEquals(1L, calls.get("DestroyPropertyFilter"), calls.toString());
    }

    @Test
    void theTaskWaiterGivesUpAtItsDeadlineAndLeavesTheTaskAlone() {
        String task = world.vsphere.createTask(world.proxy(), "io.hotadd.agent.backup", "hotadd-agent", false);
        world.vsphere.taskRunning(task);
        try (PropertyCollectorPool pool = new PropertyCollectorPool(world.session)) {
            TaskWaiter waiter = new TaskWaiter(world.session, pool, DeadlineClock.system(), TaskProgressListener.NONE);
            world.control().resetCalls();
            VSphereException.Timeout e = assertThrows(VSphereException.Timeout.class, () -> waiter.run(
                    new TaskWaiter.TaskRun("wait too briefly", "Task:" + task, Duration.ofSeconds(2)),
                    (vim, content) -> VSphereSession.mor("Task", task)));
            assertTrue(e.getMessage().contains(task) && e.getMessage().contains("2 s"), e.getMessage());
            assertEquals(1L, world.control().calls().get("DestroyPropertyFilter"));
            assertEquals(TaskInfoState.running, taskInfo(task).state, "not cancelled");
        } finally {
            world.vsphere.taskFinished(task, "the test stopped waiting");
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void inject(String method, String fault) {
        world.control().addFault(new FaultRule(null, method, null, 1, "fault", fault, "injected", null, null,
                null, null));
    }

    private static TaskInfo taskInfo(String task) {
        return properties.retrieveOne("read", VSphereSession.mor("Task", task), "info").get("info", TaskInfo.class);
    }

    private static ManagedObjectReference vmMor(VmRef vm) {
        return VSphereSession.mor("VirtualMachine", vm.moref());
    }
}
