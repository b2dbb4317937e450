package io.hotadd.agent.engine;

import static io.hotadd.agent.engine.EngineFixture.MIB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.fakes.FakeVm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrentBackupsTest {
    private final EngineFixture f = new EngineFixture();

    @AfterEach
    void close() {
        f.close();
    }

    /** 10 VMs x 4 disks at once on a proxy with 60 slots: the fake refuses any slot handed out twice. */
    @Test
    void fortyDisksFromConcurrentJobsNeverCollideOnASlot() throws Exception {
        List<FakeVm> vms = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            FakeVm vm = f.vc.addVm("vm" + i, MIB, MIB, MIB, MIB);
            vm.cbt = true;
            vm.cbtTrackId = "52 t";
            for (int d = 0; d < 4; d++) {
                f.vc.guestWrite(vm, 2000 + d, 0, ("vm" + i + " disk" + d).getBytes());
            }
            vms.add(vm);
        }
        ExecutorService jobs = Executors.newFixedThreadPool(10);
        List<Future<BackupResult>> results = new ArrayList<>();
        for (FakeVm vm : vms) {
            results.add(jobs.submit(() -> f.backup("job-" + vm.name, vm, BackupMode.FULL)));
        }
        for (int i = 0; i < vms.size(); i++) {
            BackupResult r = results.get(i).get();
            assertArrayEquals(f.content(vms.get(i), 2003), f.repo.imageBytes(r.restorePointId(), 2003));
            assertEquals(List.of(), r.warnings());
        }
        jobs.shutdown();
        assertEquals(List.of(), f.vc.leftovers(f.proxy));
        assertEquals(List.of(), f.vc.violations());
    }
}
