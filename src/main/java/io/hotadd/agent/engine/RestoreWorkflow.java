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
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Restores through HotAdd, the mirror of {@link BackupWorkflow}: a new VM created from the restore point's
 * captured configuration, or disks of an existing powered-off VM, are hot-added to the proxy as persistent
 * disks, found in the guest writable, and the restore point's data extents written to them with O_DIRECT from
 * aligned buffers; then the disks leave the guest and the proxy as after a backup. A raw image file needs no
 * vCenter at all. Every side effect has its undo journaled before it happens ({@link JobUndoLog}): a failed
 * restore leaves nothing on the proxy and destroys the VM it created, or names it in the error when it cannot;
 * after a crash, recovery at start does the same from the journal.
 *
 * <p>Shares the {@link SlotAllocator} and the proxy's reconfiguration lock with the backup workflow, so
 * backups and restores never pick the same SCSI slot. One instance serves all restores.
 */
public final class RestoreWorkflow {
    /** Besides the backup's locks: nobody powers the VM on while its disks are being overwritten. */
    static final String POWER_ON_METHOD = "PowerOnVM_Task";

    final VSphere vsphere;
    final GuestDisks guest;
    final BlockDevices devices;
    final BackupRepository repository;
    final ExtentWriter writer;
    final ExecutorService diskWriters;
    final EngineSettings settings;
    final Clock clock;
    final CleanupStack.Sleeper sleeper;
    final Supplier<VmInfo> proxy;
    final SlotAllocator slots;
    final ProxyLayout layout;
    final ProxyAttachments attachments;
    final Journal journal;
    final UndoExecutor undo;

    /**
     * Everything a restore needs, so tests and the boot layer build it the same way.
     *
     * @param writer      the pipelined O_DIRECT writer (its buffer pool is the restore's memory budget)
     * @param diskWriters runs one task per disk written at once (up to {@link EngineSettings#parallelDisks()})
     * @param proxy       finds the proxy VM, as for backups
     */
    public record Parts(VSphere vsphere, GuestDisks guest, BlockDevices devices, BackupRepository repository,
                        ExtentWriter writer, ExecutorService diskWriters, EngineSettings settings, Clock clock,
                        CleanupStack.Sleeper sleeper, Supplier<VmInfo> proxy) {
    }

    /** A restore whose side effects are journaled nowhere durable (tests that do not crash). */
    public RestoreWorkflow(Parts p, SlotAllocator slots, ReentrantLock reconfigLock) {
        this(p, slots, reconfigLock, new VolatileJournal());
    }

    /**
     * @param slots        the same instance the backup workflow uses
     * @param reconfigLock the same instance the backup workflow uses
     * @param journal      the backups' journal: recovery after a crash takes back a restore's side effects too
     */
    public RestoreWorkflow(Parts p, SlotAllocator slots, ReentrantLock reconfigLock, Journal journal) {
        this.vsphere = p.vsphere();
        this.guest = p.guest();
        this.devices = p.devices();
        this.repository = p.repository();
        this.writer = p.writer();
        this.diskWriters = p.diskWriters();
        this.settings = p.settings();
        this.clock = p.clock();
        this.sleeper = p.sleeper();
        this.proxy = p.proxy();
        this.slots = slots;
        this.layout = new ProxyLayout(vsphere, settings, reconfigLock);
        this.attachments = new ProxyAttachments(vsphere, slots, layout, reconfigLock, settings);
        this.journal = journal;
        this.undo = new UndoExecutor(vsphere, guest, reconfigLock, settings.releaseDeadline());
    }

    /**
     * Runs the restore to the end. It checks the request again first (as {@link #check} does), so a run
     * refuses what a dry run would have refused, with nothing changed.
     *
     * @param cancelled polled between steps and during writes; a cancelled restore cleans up (destroying the VM
     *                  it created) and throws {@link CopyCancelled}
     * @throws RestoreRefused when the request cannot be carried out; other agent errors when a step fails
     */
    public RestoreResult run(RestoreRequest request, JobObserver observer, BooleanSupplier cancelled) {
        RestoreTarget target = request.target();
        if (target instanceof RestoreTarget.NewVm) {
            return new NewVmRestore(this, request, observer, cancelled).execute();
        } else if (target instanceof RestoreTarget.ExistingVm) {
            return new ExistingVmRestore(this, request, observer, cancelled).execute();
        }
        return new ImageRestore(this, request, observer, cancelled).execute();
    }

    /**
     * The restore's checks alone, with no side effect (the proxy is only read): the restore point exists and
     * holds what the target needs, and the target can take it. Lets the API refuse a request with a 4xx before
     * it accepts a job.
     *
     * @throws RestoreRefused naming what is wrong and what to do
     */
    public CheckedRestore check(RestoreRequest request) {
        String proxyMoref = request.target() instanceof RestoreTarget.Image ? "" : proxy.get().ref().moref();
        return checks(slots.capacity(IntStream.rangeClosed(0, settings.spareControllers()).boxed()
                .collect(Collectors.toCollection(TreeSet::new)))).check(request, proxyMoref);
    }

    RestoreChecks checks(int slotCapacity) {
        return new RestoreChecks(vsphere, repository, slotCapacity);
    }

    int slotCapacity(ProxyView view) {
        return slots.capacity(view.slots().buses());
    }

    /** The restore's side effects, journaled before each happens under the job's id. */
    JobUndoLog newUndoLog(String jobId, String vmMoref) {
        return new JobUndoLog(journal, undo, newCleanup(), jobId, vmMoref);
    }

    CleanupStack newCleanup() {
        return new CleanupStack(sleeper, List.of(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30)));
    }
}
