package io.hotadd.agent.bench;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.fakes.MemoryRepository;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.harness.VcsimProcess;
import io.hotadd.agent.it.HarnessEngine;
import java.util.ArrayList;
import java.util.List;

/**
 * Orchestration time per VM against the simulator harness: a whole backup minus its data copy (the READING
 * phase), i.e. pre-flight, CBT, method locks, snapshot, clone, hot-add, device discovery and the ordered
 * cleanup. Prints per-VM figures and SOAP round trips. Run by bench/orchestration.sh.
 *
 * <pre>java -cp ... io.hotadd.agent.bench.OrchestrationBench [VMs, default 10] [disks per VM, default 2]</pre>
 */
public final class OrchestrationBench {
    private OrchestrationBench() {
    }

    public static void main(String[] args) {
        int vms = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int disks = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        try (VcsimProcess vcsim = VcsimProcess.start(VcsimOptions.defaults().proxy(HarnessEngine.PROXY));
             HarnessEngine engine = new HarnessEngine(vcsim.vcsim(), new MemoryRepository(1 << 20))) {
            List<Double> orchestration = new ArrayList<>();
            for (int i = 0; i < vms; i++) {
                String name = "bench" + i;
                List<NewDisk> d = new ArrayList<>();
                for (int k = 0; k < disks; k++) {
                    d.add(NewDisk.thin(64L << 20));
                }
                vcsim.vcsim().control().createVm(new NewVm(name, null, null, true, true, d));
                long trips = engine.vsphere.soapRoundTrips();
                PhaseClock clock = new PhaseClock();
                engine.backup("bench-" + i, name, BackupMode.FULL, clock);
                double seconds = clock.orchestrationSeconds();
                orchestration.add(seconds);
                System.out.printf("vm %-8s orchestration %6.3f s  copy %6.3f s  soap round trips %d%n", name,
                        seconds, clock.copySeconds(), engine.vsphere.soapRoundTrips() - trips);
            }
            orchestration.sort(null);
            System.out.printf("== %d VMs x %d disks: median orchestration %.3f s per VM (first run includes the "
                    + "proxy's spare controllers and JIT warm-up)%n", vms, disks, orchestration.get(vms / 2));
        }
    }

    /** Times the whole job and its READING phase from the observer's phase changes. */
    private static final class PhaseClock implements JobObserver {
        private final long start = System.nanoTime();
        private long readingStart;
        private long readingEnd;
        private long end;

        @Override
        public void phase(JobPhase phase) {
            long now = System.nanoTime();
            if (phase == JobPhase.READING) {
                readingStart = now;
            } else if (readingStart != 0 && readingEnd == 0) {
                readingEnd = now;
            }
            if (phase == JobPhase.DONE) {
                end = now;
            }
        }

        double copySeconds() {
            return (readingEnd - readingStart) / 1e9;
        }

        double orchestrationSeconds() {
            return (end - start) / 1e9 - copySeconds();
        }

        @Override
        public void disksPlanned(List<DiskProgress> disks) {
        }

        @Override
        public void bytesRead(int diskKey, long bytes) {
        }

        @Override
        public void warning(String message) {
        }
    }
}
