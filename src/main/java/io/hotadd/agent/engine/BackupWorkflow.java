package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BlockDevices;
import io.hotadd.agent.port.GuestDisks;
import io.hotadd.agent.port.Journal;
import io.hotadd.agent.port.VSphere;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The backup of one VM through HotAdd: pre-flight, CBT on, Storage vMotion blocked, snapshot, linked clone,
 * the clone's disks hot-added to the proxy in slot order, found in the guest by UUID and read with O_DIRECT
 * into the repository; then everything released in the safe order before the snapshot goes, and the restore
 * point committed. One instance serves all jobs; each run is a {@link BackupRun}.
 */
public final class BackupWorkflow {
    final VSphere vsphere;
    final GuestDisks guest;
    final BlockDevices devices;
    final BackupRepository repository;
    final SlotAllocator slots;
    final ProxyLayout layout;
    final ProxyAttachments attachments;
    final ReentrantLock reconfigLock;
    final ExtentCopier copier;
    final ExecutorService diskReaders;
    final EngineSettings settings;
    final Clock clock;
    final CleanupStack.Sleeper sleeper;
    final Supplier<VmInfo> proxy;
    final Journal journal;
    final UndoExecutor undo;

    /** Everything a workflow needs, so tests and the boot layer build it the same way. */
    public record Parts(VSphere vsphere, GuestDisks guest, BlockDevices devices, BackupRepository repository,
                        ExtentCopier copier, ExecutorService diskReaders, EngineSettings settings, Clock clock,
                        CleanupStack.Sleeper sleeper, Supplier<VmInfo> proxy) {
    }

    /** A workflow whose journal lives in memory only (tests): nothing of a run survives a crash. */
    public BackupWorkflow(Parts p, SlotAllocator slots, ReentrantLock reconfigLock) {
        this(p, slots, reconfigLock, new VolatileJournal());
    }

    /** @param journal where each run records its undos before its side effects, for recovery after a crash */
    public BackupWorkflow(Parts p, SlotAllocator slots, ReentrantLock reconfigLock, Journal journal) {
        this.vsphere = p.vsphere();
        this.guest = p.guest();
        this.devices = p.devices();
        this.repository = p.repository();
        this.copier = p.copier();
        this.diskReaders = p.diskReaders();
        this.settings = p.settings();
        this.clock = p.clock();
        this.sleeper = p.sleeper();
        this.proxy = p.proxy();
        this.slots = slots;
        this.reconfigLock = reconfigLock;
        this.layout = new ProxyLayout(vsphere, settings, reconfigLock);
        this.attachments = new ProxyAttachments(vsphere, slots, layout, reconfigLock, settings);
        this.journal = journal;
        this.undo = new UndoExecutor(vsphere, guest, reconfigLock, settings.releaseDeadline());
    }

    /** The journal runs record their undos in (recovery reads it). */
    public Journal journal() {
        return journal;
    }

    /** Carries out undos exactly as a run's own cleanup does (recovery and the sweep use it too). */
    public UndoExecutor undoExecutor() {
        return undo;
    }

    /**
     * Runs the backup to the end. Whatever happens after the first side effect, the cleanup runs in full
     * (or as far as it safely can, reported in the error or the result's warnings).
     *
     * @param cancelled polled between steps and during reads; a cancelled job cleans up and throws
     *                  {@link CopyCancelled}
     */
    public BackupResult run(BackupRequest request, JobObserver observer, BooleanSupplier cancelled) {
        return new BackupRun(this, request, observer, cancelled).execute();
    }

    /**
     * The backup's pre-flight alone, with no side effect: finds the proxy and the VM, checks both, and plans
     * the disks, exactly as {@link #run} would before its first change; the proxy's missing spare controllers
     * are counted as if they were there, since {@link #run} adds them. Lets a job be refused before it is
     * accepted.
     *
     * @throws PreflightRefused, VmNotFound, ProxySetupException or a vSphere error, as {@link #run} would
     */
    public CheckedBackup check(BackupRequest request) {
        ProxyView view = layout.inspect(proxy.get().ref());
        return new BackupChecks(this).check(request, view, slots.capacity(layout.busesOnceEnsured(view)));
    }

    /** The proxy's SCSI layout as it is now, changing nothing (status reports). */
    public ProxyView inspectProxy() {
        return layout.inspect(proxy.get().ref());
    }

    /** Finds the proxy VM and rebuilds its missing spare controllers (at start and in readiness probes). */
    public ProxyView ensureProxyLayout() {
        return layout.ensure(proxy.get().ref());
    }

    /** The slot allocator shared by every run, for status reports. */
    public SlotAllocator slots() {
        return slots;
    }

    JobUndoLog newUndoLog(String jobId, String vmMoref) {
        return new JobUndoLog(journal, undo, newCleanup(), jobId, vmMoref);
    }

    CleanupStack newCleanup() {
        return new CleanupStack(sleeper, List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30)));
    }

    int slotCapacity(ProxyView view) {
        return slots.capacity(view.slots().buses());
    }
}
