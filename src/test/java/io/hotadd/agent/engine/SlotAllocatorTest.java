package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.ScsiSlot;
import io.hotadd.agent.engine.SlotAllocator.ProxySlots;
import io.hotadd.agent.engine.SlotAllocator.Reservation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SlotAllocatorTest {

    private static SortedSet<Integer> buses(int n) {
        SortedSet<Integer> b = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            b.add(i);
        }
        return b;
    }

    @Test
    void fifteenUnitsSkipTheControllersOwnUnitSeven() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15), new SlotAllocator(15).units());
    }

    @Test
    void sixtyFourUnitsOnModernPvscsiStillSkipSeven() {
        List<Integer> units = new SlotAllocator(64).units();
        assertEquals(64, units.size());
        assertFalse(units.contains(7));
        assertEquals(64, units.get(63));
    }

    @Test
    void picksLowestFreeSlotsInBusThenUnitOrder() {
        SlotAllocator a = new SlotAllocator(15);
        Set<ScsiSlot> occupied = Set.of(new ScsiSlot(0, 0), new ScsiSlot(1, 0), new ScsiSlot(0, 2));
        Reservation r = a.reserve("job", 3, new ProxySlots(buses(2), occupied)).orElseThrow();
        assertEquals(List.of(new ScsiSlot(0, 1), new ScsiSlot(0, 3), new ScsiSlot(0, 4)), r.slots());
    }

    @Test
    void fillsAControllerBeforeMovingToTheNextBus() {
        SlotAllocator a = new SlotAllocator(15);
        Reservation r = a.reserve("job", 16, new ProxySlots(buses(2), Set.of(new ScsiSlot(0, 0)))).orElseThrow();
        assertEquals(new ScsiSlot(0, 15), r.slots().get(13));
        assertEquals(new ScsiSlot(1, 1), r.slots().get(15));
    }

    @Test
    void neverUsesABusThatHasNoController() {
        SlotAllocator a = new SlotAllocator(2);
        Optional<Reservation> r = a.reserve("job", 3, new ProxySlots(buses(1), Set.of()));
        assertTrue(r.isEmpty(), "only 2 slots on the one controller; a 3rd would make vCenter add bus 1 implicitly");
        assertTrue(a.reserved().isEmpty(), "a failed reservation holds nothing");
    }

    @Test
    void reservationsKeepConcurrentJobsApartUntilReleased() {
        SlotAllocator a = new SlotAllocator(15);
        ProxySlots proxy = new ProxySlots(buses(1), Set.of(new ScsiSlot(0, 0)));
        Reservation first = a.reserve("a", 2, proxy).orElseThrow();
        Reservation second = a.reserve("b", 2, proxy).orElseThrow();
        assertEquals(List.of(new ScsiSlot(0, 3), new ScsiSlot(0, 4)), second.slots());
        a.release(first);
        assertEquals(List.of(new ScsiSlot(0, 1), new ScsiSlot(0, 2)), a.reserve("c", 2, proxy).orElseThrow().slots());
    }

    @Test
    void rejectsNonsenseConfiguration() {
        assertThrows(IllegalArgumentException.class, () -> new SlotAllocator(0));
        assertThrows(IllegalArgumentException.class, () -> new SlotAllocator(65));
        assertThrows(IllegalArgumentException.class,
                () -> new SlotAllocator(15).reserve("x", 0, new ProxySlots(buses(1), Set.of())));
    }

    /** Every occupancy pattern of a 2-controller, 3-unit proxy, every count: the lowest free k, or nothing. */
    @Test
    void exhaustivelyMatchesTheReferenceOnASmallProxy() {
        List<ScsiSlot> all = List.of(new ScsiSlot(0, 0), new ScsiSlot(0, 1), new ScsiSlot(0, 2),
                new ScsiSlot(1, 0), new ScsiSlot(1, 1), new ScsiSlot(1, 2));
        for (int mask = 0; mask < 1 << all.size(); mask++) {
            Set<ScsiSlot> occupied = new HashSet<>();
            List<ScsiSlot> free = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                ((mask & 1 << i) != 0 ? occupied : free).add(all.get(i));
            }
            for (int k = 1; k <= all.size(); k++) {
                Optional<Reservation> r = new SlotAllocator(3).reserve("x", k, new ProxySlots(buses(2), occupied));
                if (k <= free.size()) {
                    assertEquals(free.subList(0, k), r.orElseThrow().slots(), "mask=" + mask + " k=" + k);
                } else {
                    assertTrue(r.isEmpty(), "mask=" + mask + " k=" + k);
                }
            }
        }
    }

    @Test
    void fortyDisksFromConcurrentJobsNeverShareASlot() throws Exception {
        SlotAllocator a = new SlotAllocator(15);
        ProxySlots proxy = new ProxySlots(buses(4), Set.of(new ScsiSlot(0, 0), new ScsiSlot(1, 0),
                new ScsiSlot(2, 0), new ScsiSlot(3, 0)));
        ConcurrentLinkedQueue<ScsiSlot> got = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int job = 0; job < 10; job++) {
            String owner = "job-" + job;
            pool.submit(() -> {
                start.await();
                got.addAll(a.reserve(owner, 4, proxy).orElseThrow().slots());
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(40, got.size());
        assertEquals(40, new HashSet<>(got).size(), "a slot was handed out twice: " + got);
        assertEquals(60, a.capacity(proxy.buses()), "4 controllers x 15 disks");
    }
}
