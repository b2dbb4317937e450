package io.hotadd.agent.engine;

import io.hotadd.agent.domain.ScsiSlot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * Hands out free SCSI slots on the proxy's own controllers, lowest (bus, unit) first, so disks are always
 * added in numeric order and vCenter never has a reason to add a controller implicitly. Reservations are
 * held in memory between choosing slots and attaching disks, so concurrent jobs never pick the same slot.
 * Pure: the caller supplies the proxy's current controllers and occupied slots.
 */
public final class SlotAllocator {
    /** PVSCSI on virtual hardware 14+ allows 64 targets; older hardware and other controllers 15. */
    public static final int MAX_UNITS_PER_CONTROLLER = 64;

    private final int unitsPerController;
    private final Set<ScsiSlot> reserved = new HashSet<>();
    private long releases;

    /** @param unitsPerController disks per controller (unit 7 is never used): 15, or up to 64 on PVSCSI. */
    public SlotAllocator(int unitsPerController) {
        if (unitsPerController < 1 || unitsPerController > MAX_UNITS_PER_CONTROLLER) {
            throw new IllegalArgumentException("units per controller must be 1.." + MAX_UNITS_PER_CONTROLLER
                    + ", was " + unitsPerController);
        }
        this.unitsPerController = unitsPerController;
    }

    /** What the proxy looks like now: its controllers' bus numbers and the slots its disks occupy. */
    public record ProxySlots(SortedSet<Integer> buses, Set<ScsiSlot> occupied) {
    }

    /** Slots held for one job until it has released its disks. */
    public record Reservation(String owner, List<ScsiSlot> slots) {
    }

    /**
     * Reserves the {@code count} lowest free slots, or nothing if fewer are free right now (the caller
     * queues the job and tries again when a reservation is released).
     */
    public synchronized Optional<Reservation> reserve(String owner, int count, ProxySlots proxy) {
        if (count < 1) {
            throw new IllegalArgumentException("a reservation needs at least one slot, asked for " + count);
        }
        List<ScsiSlot> picked = new ArrayList<>(count);
        for (ScsiSlot slot : slotsInOrder(proxy.buses())) {
            if (picked.size() == count) {
                break;
            }
            if (!proxy.occupied().contains(slot) && !reserved.contains(slot)) {
                picked.add(slot);
            }
        }
        if (picked.size() < count) {
            return Optional.empty();
        }
        reserved.addAll(picked);
        return Optional.of(new Reservation(owner, Collections.unmodifiableList(picked)));
    }

    public synchronized void release(Reservation reservation) {
        reservation.slots().forEach(reserved::remove);
        releases++;
        notifyAll();
    }

    /**
     * Waits until some reservation is released or {@code max} passes; answers whether one was. Jobs that found
     * no free slots wait here instead of polling vCenter.
     */
    public synchronized boolean awaitRelease(java.time.Duration max) throws InterruptedException {
        long seen = releases;
        long deadline = System.nanoTime() + max.toNanos();
        while (releases == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    public synchronized Set<ScsiSlot> reserved() {
        return Set.copyOf(reserved);
    }

    /** How many disks the proxy's controllers can hold at most, used or not. */
    public int capacity(SortedSet<Integer> buses) {
        return buses.size() * unitsPerController;
    }

    /** Unit numbers one controller offers, in order: 0..6 and 8..units (7 is the controller's own). */
    public List<Integer> units() {
        List<Integer> units = new ArrayList<>(unitsPerController);
        for (int u = 0; units.size() < unitsPerController; u++) {
            if (u != ScsiSlot.CONTROLLER_UNIT) {
                units.add(u);
            }
        }
        return units;
    }

    private List<ScsiSlot> slotsInOrder(SortedSet<Integer> buses) {
        List<ScsiSlot> all = new ArrayList<>();
        List<Integer> units = units();
        for (int bus : buses) {
            for (int unit : units) {
                all.add(new ScsiSlot(bus, unit));
            }
        }
        return all;
    }
}
