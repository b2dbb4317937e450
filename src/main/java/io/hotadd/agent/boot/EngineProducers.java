package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.blockdev.DirectBlockDevices;
import io.hotadd.agent.adapters.blockdev.DiskControl;
import io.hotadd.agent.adapters.blockdev.GuestDisksConfig;
import io.hotadd.agent.adapters.blockdev.SysfsGuestDisks;
import io.hotadd.agent.adapters.blockdev.SysfsLocalSystem;
import io.hotadd.agent.adapters.blockdev.WaitClock;
import io.hotadd.agent.adapters.http.JdkCallbackSender;
import io.hotadd.agent.adapters.journal.FileJobStore;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.BufferPool;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.engine.ExtentCopier;
import io.hotadd.agent.engine.ExtentWriter;
import io.hotadd.agent.engine.ProxyIdentity;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.RestoreWorkflow;
import io.hotadd.agent.engine.SlotAllocator;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.JobEngineSettings;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BlockDevices;
import io.hotadd.agent.port.CallbackSender;
import io.hotadd.agent.port.GuestDisks;
import io.hotadd.agent.port.JobStore;
import io.hotadd.agent.port.Journal;
import io.hotadd.agent.port.LocalSystem;
import io.hotadd.agent.port.RepositoryMaintenance;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VcenterActivity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Builds the engine from configuration: the real adapters behind the ports, the workflow, the job engine.
 * vCenter and the repository are opened on first use (their beans are application scoped, so a failed
 * open is tried again on the next call). Tests replace the port beans with fakes (@Alternative in src/test).
 */
@ApplicationScoped
public class EngineProducers {
    /** Backups and restores reconfigure the one proxy VM: one lock orders all their ReconfigVM calls. */
    private final ReentrantLock proxyReconfigLock = new ReentrantLock();

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    EngineSettings engineSettings(AgentConfig c) {
        AgentConfig.Limits l = c.limits();
        EngineSettings d = EngineSettings.defaults();
        return new EngineSettings(c.proxy().vm().or(c.proxy()::vmMoref).map(EngineProducers::selector),
                c.proxy().spareControllers(),
                c.proxy().unitsPerController(), d.dummyDiskBytes(), d.methodsToDisable(), d.methodSourceId(),
                l.parallelDisks(), l.readBufferBytes(), l.readBuffers(), l.locateTimeout(), l.releaseTimeout(),
                l.slotWait(), d.agentName());
    }

    /** "vm-123" is a moref; anything else is an inventory name. */
    static VmSelector selector(String vm) {
        return vm.matches("vm-\\d+") ? new VmSelector.ByMoref(new VmRef(vm)) : new VmSelector.ByName(vm);
    }

    @Produces
    @Singleton
    JobEngineSettings jobSettings(AgentConfig c) {
        return new JobEngineSettings(c.limits().maxJobs(), c.jobs().progressInterval(), c.jobs().rateWindow(),
                c.jobs().retention());
    }

    @Produces
    @ApplicationScoped
    VSphere vsphere(VcenterConnection connection) {
        return connection.gateway();
    }

    /** Extension, tasks, events and attributes through the same vCenter session as the backups. */
    @Produces
    @Singleton
    VcenterActivity vcenterActivity(VcenterConnection connection) {
        return new LazyVcenterActivity(connection::gateway);
    }

    @Produces
    @ApplicationScoped
    BackupRepository repository(RepositoryConnection connection) {
        return connection.opened().repository();
    }

    @Produces
    @ApplicationScoped
    RepositoryMaintenance maintenance(RepositoryConnection connection) {
        return connection.opened().maintenance();
    }

    @Produces
    @Singleton
    GuestDisks guestDisks(AgentConfig c) {
        AgentConfig.Paths p = c.paths();
        return new SysfsGuestDisks(GuestDisksConfig.underRoots(p.dev(), p.devDiskById(), p.sys()), WaitClock.system(),
                DiskControl.forAgent(c.blockdev().helperSocket(), p.sys()));
    }

    @Produces
    @Singleton
    BlockDevices blockDevices() {
        return new DirectBlockDevices();
    }

    @Produces
    @Singleton
    LocalSystem localSystem(AgentConfig c) {
        return new SysfsLocalSystem(c.paths().sys());
    }

    @Produces
    @Singleton
    SlotAllocator slots(EngineSettings s) {
        return new SlotAllocator(s.unitsPerController());
    }

    @Produces
    @Singleton
    ProxyIdentity proxyIdentity(VSphere vsphere, LocalSystem local, EngineSettings s) {
        return new ProxyIdentity(vsphere, local, s.proxyVm());
    }

    /** The O_DIRECT buffers every backup reads into and every restore writes from: the agent's I/O memory. */
    @Produces
    @Singleton
    BufferPool buffers(EngineSettings s) {
        return new BufferPool(s.readBuffers(), s.readBufferBytes());
    }

    @Produces
    @Singleton
    BackupWorkflow workflow(VSphere vsphere, GuestDisks guest, BlockDevices devices, BackupRepository repository,
                            EngineSettings s, Clock clock, ProxyIdentity identity, SlotAllocator slots,
                            AgentExecutors threads, BufferPool buffers, Journal journal) {
        ExtentCopier copier = new ExtentCopier(threads.extentReaders, buffers);
        return new BackupWorkflow(new BackupWorkflow.Parts(vsphere, guest, devices, repository, copier,
                threads.diskCopies, s, clock, d -> Thread.sleep(d.toMillis()), identity::resolve), slots,
                proxyReconfigLock, journal);
    }

    /** Shares the backups' slot allocator and proxy lock, so a restore never takes a slot a backup uses. */
    @Produces
    @Singleton
    RestoreWorkflow restores(VSphere vsphere, GuestDisks guest, BlockDevices devices, BackupRepository repository,
                             EngineSettings s, Clock clock, ProxyIdentity identity, SlotAllocator slots,
                             AgentExecutors threads, BufferPool buffers, Journal journal) {
        return new RestoreWorkflow(new RestoreWorkflow.Parts(vsphere, guest, devices, repository,
                new ExtentWriter(threads.extentReaders, buffers), threads.diskCopies, s, clock,
                d -> Thread.sleep(d.toMillis()), identity::resolve), slots, proxyReconfigLock, journal);
    }

    @Produces
    @Singleton
    JobStore jobStore(AgentConfig c) {
        return new FileJobStore(c.stateDir().resolve("jobs"));
    }

    @Produces
    @Singleton
    Readiness readiness(Clock clock) {
        return new Readiness(clock);
    }

    @Produces
    @Singleton
    JobEngine jobEngine(JobStore store, BackupWorkflow workflow, BackupRepository repository,
                        RepositoryMaintenance maintenance, AgentExecutors threads, Clock clock,
                        JobEngineSettings settings, AgentMetrics metrics, Readiness readiness,
                        RestoreWorkflow restores) {
        return new JobEngine(new JobEngine.Parts(store, workflow, repository, maintenance, threads.jobs, clock,
                jobIds(clock), settings, metrics, readiness, restores));
    }

    /** Sortable by creation and readable in vCenter object names: 20300101-120000-3f9a1c2b. */
    static Supplier<String> jobIds(Clock clock) {
        java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(java.time.ZoneOffset.UTC);
        return () -> f.format(clock.instant()) + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Produces
    @Singleton
    CallbackSender callbackSender() {
        return new JdkCallbackSender(Duration.ofSeconds(10), "hotadd-agent");
    }
}
