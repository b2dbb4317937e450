package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeVm;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dry run the job API does at submission: the same verdicts as a real run, with no side effect. */
class BackupCheckTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private List<String> changes() {
        return f.vc.faults().calls().stream().filter(c -> !c.startsWith("find") && !c.startsWith("read")
                && !c.startsWith("datastores") && !c.startsWith("activeTasks")).toList();
    }

    @Test
    void aGoodVmIsPlannedWithoutTouchingVcenterEvenWhenTheProxyLacksItsSpares() {
        FakeVm vm = f.vc.addVm("web", 4 * MIB, 2 * MIB);
        vm.disks.get(1).mode = DiskMode.INDEPENDENT_PERSISTENT;
        CheckedBackup c = f.workflow.check(new BackupRequest("j1", new VmSelector.ByName("web"), BackupMode.AUTO, false));
        assertEquals(vm.moref, c.target().ref().moref());
        assertEquals(1, c.disks().size());
        assertTrue(c.plan().full());
        assertEquals(1, c.warnings().size(), "the independent disk is left out: " + c.warnings());
        assertEquals(List.of(), changes(), "a check changes nothing, not even the proxy's spare controllers");
        assertEquals(1, f.proxy.controllers.size());
    }

    @Test
    void anUnknownVmIsNamedInTheError() {
        VmNotFound e = assertThrows(VmNotFound.class, () -> f.workflow.check(new BackupRequest("j1",
                new VmSelector.ByName("ghost"), BackupMode.AUTO, false)));
        assertTrue(e.getMessage().startsWith("VM named 'ghost' is not in the vCenter"), e.getMessage());
    }

    @Test
    void capacityCountsTheSparesTheRunWillAdd() {
        long[] caps = new long[20]; // more than bus 0 alone holds (15), fewer than with 3 spares (60)
        java.util.Arrays.fill(caps, MIB);
        f.vc.addVm("wide", caps);
        CheckedBackup c = f.workflow.check(new BackupRequest("j1", new VmSelector.ByName("wide"), BackupMode.FULL,
                false));
        assertEquals(20, c.disks().size());
    }
}
