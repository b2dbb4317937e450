package io.hotadd.agent.engine;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeGuestDisks;
import io.hotadd.agent.fakes.FakeVSphere;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.fakes.MemoryRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/** The engine on fakes: an in-memory vCenter with a proxy VM, its guest, and an in-memory repository. */
final class EngineFixture implements AutoCloseable {
    static final long MIB = 1 << 20;
    final FakeVSphere vc = new FakeVSphere();
    final FakeVm proxy;
    final FakeGuestDisks guest;
    final MemoryRepository repo = new MemoryRepository(64 << 10);
    final ExecutorService readers = Executors.newCachedThreadPool();
    final ExecutorService diskReaders = Executors.newCachedThreadPool();
    final SlotAllocator slots = new SlotAllocator(15);
    final ReentrantLock reconfigLock = new ReentrantLock();
    final BackupWorkflow.Parts parts;
    final BackupWorkflow workflow;
    final RestoreWorkflow restores;
    final List<Duration> slept = Collections.synchronizedList(new ArrayList<>());

    EngineFixture() {
        proxy = vc.addVm("proxy", 16 * MIB);
        proxy.extraConfig.put("disk.EnableUUID", "TRUE");
        guest = new FakeGuestDisks(vc, proxy.moref);
        EngineSettings settings = EngineSettings.defaults().withReadBuffers(1 << 20, 4)
                .withDeadlines(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        ProxyIdentity identity = new ProxyIdentity(vc, () -> java.util.Optional.of(proxy.biosUuid),
                java.util.Optional.empty());
        parts = new BackupWorkflow.Parts(vc, guest, guest, repo,
                new ExtentCopier(readers, new BufferPool(8, 1 << 20)), diskReaders, settings, Clock.systemUTC(),
                slept::add, identity::resolve);
        workflow = new BackupWorkflow(parts, slots, reconfigLock);
        restores = new RestoreWorkflow(new RestoreWorkflow.Parts(vc, guest, guest, repo,
                new ExtentWriter(readers, new BufferPool(8, 1 << 20)), diskReaders, settings, Clock.systemUTC(),
                slept::add, identity::resolve), slots, reconfigLock, workflow.journal());
    }

    /** Another workflow on the same fakes, with its own journal (as after a restart with a lost journal). */
    BackupWorkflow workflowWith(io.hotadd.agent.port.Journal journal) {
        return new BackupWorkflow(parts, slots, reconfigLock, journal);
    }

    RestoreResult restore(String jobId, String restorePointId, RestoreTarget target, Recorder observer,
                          BooleanSupplier cancelled) {
        return restores.run(new RestoreRequest(jobId, restorePointId, target), observer, cancelled);
    }

    BackupResult backup(String jobId, FakeVm vm, BackupMode mode) {
        return backup(jobId, vm, mode, new Recorder(), () -> false);
    }

    BackupResult backup(String jobId, FakeVm vm, BackupMode mode, Recorder observer, BooleanSupplier cancelled) {
        return workflow.run(new BackupRequest(jobId, new VmSelector.ByName(vm.name), mode, false), observer, cancelled);
    }

    /** The disks' current bytes in the fake vCenter. */
    byte[] content(FakeVm vm, int key) {
        return vc.diskBytes(vm, key);
    }

    @Override
    public void close() {
        readers.shutdownNow();
        diskReaders.shutdownNow();
    }

    /** Remembers what the engine reported. */
    static class Recorder implements JobObserver {
        final List<JobPhase> phases = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        final ConcurrentHashMap<Integer, AtomicLong> read = new ConcurrentHashMap<>();
        final ConcurrentHashMap<Integer, AtomicLong> written = new ConcurrentHashMap<>();
        volatile List<DiskProgress> planned = List.of();

        @Override
        public void phase(JobPhase phase) {
            phases.add(phase);
        }

        @Override
        public void disksPlanned(List<DiskProgress> disks) {
            planned = disks;
        }

        @Override
        public void bytesRead(int diskKey, long bytes) {
            read.computeIfAbsent(diskKey, k -> new AtomicLong()).addAndGet(bytes);
        }

        @Override
        public void bytesWritten(int diskKey, long bytes) {
            written.computeIfAbsent(diskKey, k -> new AtomicLong()).addAndGet(bytes);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }
}
