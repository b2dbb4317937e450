package io.hotadd.agent.it;

import io.hotadd.agent.adapters.blockdev.DirectBlockDevices;
import io.hotadd.agent.adapters.blockdev.GuestDisksConfig;
import io.hotadd.agent.adapters.blockdev.SysfsGuestDisks;
import io.hotadd.agent.adapters.blockdev.WaitClock;
import io.hotadd.agent.adapters.vsphere.ServerTrust;
import io.hotadd.agent.adapters.vsphere.VSphereAdapterOptions;
import io.hotadd.agent.adapters.vsphere.VSphereCredentials;
import io.hotadd.agent.adapters.vsphere.VSphereSession;
import io.hotadd.agent.adapters.vsphere.VSphereSettings;
import io.hotadd.agent.adapters.vsphere.YavijavaVSphere;
import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.BackupRequest;
import io.hotadd.agent.engine.BackupResult;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.engine.JobObserver;
import io.hotadd.agent.engine.ProxyIdentity;
import io.hotadd.agent.engine.ExtentWriter;
import io.hotadd.agent.engine.ProxyLayout;
import io.hotadd.agent.engine.RestoreRequest;
import io.hotadd.agent.engine.RestoreResult;
import io.hotadd.agent.engine.RestoreTarget;
import io.hotadd.agent.engine.RestoreWorkflow;
import io.hotadd.agent.engine.SlotAllocator;
import io.hotadd.agent.harness.Vcsim;
import io.hotadd.agent.port.BackupRepository;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The production engine and adapters — yavijava gateway, sysfs guest disks, O_DIRECT reads and writes — wired
 * for backups and restores against a running simulator harness, with the repository given by the test.
 */
public final class HarnessEngine implements AutoCloseable {
    public static final String PROXY = "DC0_H0_VM0";

    final VSphereSession session;
    public final YavijavaVSphere vsphere;
    final SlotAllocator slots = new SlotAllocator(15);
    final BackupWorkflow workflow;
    final RestoreWorkflow restores;
    private final ReentrantLock reconfigLock = new ReentrantLock();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private final ExecutorService diskReaders = Executors.newCachedThreadPool();

    public HarnessEngine(Vcsim vcsim, BackupRepository repository) {
        this(vcsim, repository, d -> Thread.sleep(d.toMillis()));
    }

    /** @param sleeper how cleanup retries wait (tests that count retries need not wait for real) */
    public HarnessEngine(Vcsim vcsim, BackupRepository repository, io.hotadd.agent.engine.CleanupStack.Sleeper sleeper) {
        session = VSphereSession.open(VSphereSettings.of(vcsim.url(), ServerTrust.pinned(vcsim.sha256())),
                new VSphereCredentials(vcsim.username(), vcsim.password().toCharArray()));
        vsphere = new YavijavaVSphere(session, VSphereAdapterOptions.defaults());
        SysfsGuestDisks guest = new SysfsGuestDisks(GuestDisksConfig.underRoots(vcsim.devDir(), vcsim.byIdDir(),
                vcsim.sysfsRoot()), WaitClock.system());
        EngineSettings settings = EngineSettings.defaults().withProxyVm(new VmSelector.ByName(PROXY))
                .withReadBuffers(1 << 20, 8);
        ProxyIdentity identity = new ProxyIdentity(vsphere, Optional::empty, settings.proxyVm());
        workflow = new BackupWorkflow(new BackupWorkflow.Parts(vsphere, guest, new DirectBlockDevices(), repository,
                new ExtentCopier(readers, new BufferPool(settings.readBuffers(), settings.readBufferBytes())),
                diskReaders, settings, Clock.systemUTC(), sleeper, identity::resolve),
                slots, reconfigLock);
        restores = new RestoreWorkflow(new RestoreWorkflow.Parts(vsphere, guest, new DirectBlockDevices(), repository,
                new ExtentWriter(readers, new BufferPool(settings.readBuffers(), settings.readBufferBytes())),
                diskReaders, settings, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()), identity::resolve),
                slots, reconfigLock, workflow.journal());
    }

    public RestoreResult restore(String jobId, String restorePointId, RestoreTarget target, JobObserver observer) {
        return restores.run(new RestoreRequest(jobId, restorePointId, target), observer, () -> false);
    }

    void ensureProxyLayout() {
        new ProxyLayout(vsphere, EngineSettings.defaults(), new ReentrantLock())
                .ensure(vsphere.find(new VmSelector.ByName(PROXY)).ref());
    }

    public BackupResult backup(String jobId, String vmName, BackupMode mode, JobObserver observer) {
        return backup(jobId, new VmSelector.ByName(vmName), mode, observer);
    }

    public BackupResult backup(String jobId, VmSelector vm, BackupMode mode, JobObserver observer) {
        return workflow.run(new BackupRequest(jobId, vm, mode, false), observer, () -> false);
    }

    BackupResult backup(String jobId, String vmName, BackupMode mode) {
        return backup(jobId, vmName, mode, JobObserver.NONE);
    }

    @Override
    public void close() {
        readers.shutdownNow();
        diskReaders.shutdownNow();
        vsphere.close();
        session.close();
    }

    static Duration seconds(int n) {
        return Duration.ofSeconds(n);
    }
}
