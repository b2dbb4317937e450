package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.engine.SlotAllocator.Reservation;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;
import io.hotadd.agent.port.VSphere;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What backups and restores share on the proxy: SCSI slots reserved in numeric order (waiting while other
 * jobs hold them), disks attached and detached under the proxy's reconfiguration lock, and detaching by file
 * name so that the undo is idempotent and survives not knowing the device keys.
 */
final class ProxyAttachments {
    private final VSphere vsphere;
    private final SlotAllocator slots;
    private final ProxyLayout layout;
    private final ReentrantLock reconfigLock;
    private final EngineSettings settings;

    ProxyAttachments(VSphere vsphere, SlotAllocator slots, ProxyLayout layout, ReentrantLock reconfigLock,
                     EngineSettings settings) {
        this.vsphere = vsphere;
        this.slots = slots;
        this.layout = layout;
        this.reconfigLock = reconfigLock;
        this.settings = settings;
    }

    /**
     * The {@code count} lowest free slots, waiting up to the configured slot wait while other jobs hold them.
     *
     * @throws SlotsUnavailable when none came free in time, or the job was cancelled while waiting
     */
    Reservation reserve(ProxyView view, int count, String jobId, JobObserver observer, BooleanSupplier cancelled) {
        observer.phase(JobPhase.WAITING_FOR_SLOTS);
        long deadline = System.nanoTime() + settings.slotWait().toNanos();
        ProxyView current = view;
        while (true) {
            Optional<Reservation> r = slots.reserve(jobId, count, current.slots());
            if (r.isPresent()) {
                return r.get();
            }
            if (cancelled.getAsBoolean() || System.nanoTime() > deadline) {
                throw new SlotsUnavailable("no " + count + " free SCSI slots on the proxy for job " + jobId + " within "
                        + settings.slotWait() + "; other jobs hold them. Retry later or add spare controllers.");
            }
            awaitRelease();
            current = layout.ensure(view.vm().ref());
        }
    }

    void release(Reservation reservation) {
        slots.release(reservation);
    }

    List<DiskInfo> attach(VmRef proxy, List<DiskAttachment> attachments) {
        return withReconfigLock(() -> vsphere.attachDisks(proxy, attachments));
    }

    /** Idempotent: re-reads the proxy and detaches whatever of these files is still on it. */
    void detachFiles(VmRef proxy, Set<String> files) {
        withReconfigLock(() -> {
            List<Integer> keys = vsphere.read(proxy).map(p -> p.disks().stream()
                    .filter(d -> files.contains(d.fileName())).map(DiskInfo::key).toList()).orElse(List.of());
            if (!keys.isEmpty()) {
                vsphere.detachDisks(proxy, keys);
            }
            return null;
        });
    }

    private void awaitRelease() {
        try {
            slots.awaitRelease(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CopyCancelled("interrupted while waiting for free SCSI slots");
        }
    }

    private <T> T withReconfigLock(Supplier<T> action) {
        reconfigLock.lock();
        try {
            return action.get();
        } finally {
            reconfigLock.unlock();
        }
    }
}
