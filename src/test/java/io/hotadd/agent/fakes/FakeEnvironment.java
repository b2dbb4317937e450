package io.hotadd.agent.fakes;

import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.engine.ProxyIdentity;
import io.hotadd.agent.engine.SlotAllocator;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A backup workflow on fakes, for tests above the engine (job engine, API): an in-memory vCenter with a
 * proxy VM, the proxy's guest, and an in-memory repository. Cleanup retries do not sleep.
 */
public final class FakeEnvironment implements AutoCloseable {
    public static final long MIB = 1 << 20;
    public final FakeVSphere vc = new FakeVSphere();
    public final FakeVm proxy;
    public final FakeGuestDisks guest;
    public final MemoryRepository repo = new MemoryRepository(64 << 10);
    public final SlotAllocator slots = new SlotAllocator(15);
    public final ProxyIdentity identity;
    public final BackupWorkflow workflow;
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final ExecutorService diskReaders = Executors.newCachedThreadPool();

    public FakeEnvironment() {
        proxy = vc.addVm("proxy", 16 * MIB);
        proxy.extraConfig.put("disk.EnableUUID", "TRUE");
        guest = new FakeGuestDisks(vc, proxy.moref);
        EngineSettings settings = EngineSettings.defaults().withReadBuffers(1 << 20, 4)
                .withDeadlines(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        identity = new ProxyIdentity(vc, () -> Optional.of(proxy.biosUuid), Optional.empty());
        workflow = new BackupWorkflow(new BackupWorkflow.Parts(vc, guest, guest, repo,
                new ExtentCopier(readers, new BufferPool(8, 1 << 20)), diskReaders, settings, Clock.systemUTC(),
                d -> { }, identity::resolve), slots, new ReentrantLock());
    }

    /** A VM with CBT on and some data on each disk: {@code disks} disks of {@code mib} MiB, 1 MiB written each. */
    public FakeVm vmWithData(String name, int disks, int mib) {
        long[] caps = new long[disks];
        java.util.Arrays.fill(caps, mib * MIB);
        FakeVm vm = vc.addVm(name, caps);
        vm.cbt = true;
        vm.cbtTrackId = "52 " + name;
        Random random = new Random(name.hashCode());
        for (int d = 0; d < disks; d++) {
            byte[] data = new byte[(int) MIB];
            random.nextBytes(data);
            vc.guestWrite(vm, 2000 + d, 0, data);
        }
        return vm;
    }

    /** Calls that change something in vCenter, as "operation object" (for "nothing was created" checks). */
    public java.util.List<String> changingCalls() {
        return vc.faults().calls().stream().filter(c -> c.startsWith("createSnapshot") || c.startsWith("createLinkedClone")
                || c.startsWith("attachDisks") || c.startsWith("detachDisks") || c.startsWith("setChangeTracking")
                || c.startsWith("disableMethods") || c.startsWith("addSpareController") || c.startsWith("destroy")
                || c.startsWith("removeSnapshot")).toList();
    }

    @Override
    public void close() {
        readers.shutdownNow();
        diskReaders.shutdownNow();
    }
}
