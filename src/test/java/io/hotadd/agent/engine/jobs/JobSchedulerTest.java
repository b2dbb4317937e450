package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobSchedulerTest {
    /** Runs nothing until told, so the test sees exactly what was started when. */
    private final List<Runnable> started = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();

    private JobScheduler.Queued job(String id, String resource) {
        return new JobScheduler.Queued(id, resource, () -> ran.add(id));
    }

    @Test
    void aJobOnABusyVmKeepsItsPlaceWhileOthersGoAhead() {
        JobScheduler s = new JobScheduler(2, started::add);
        s.enqueue(job("a1", "vm-1"));
        s.enqueue(job("a2", "vm-1"));
        s.enqueue(job("b1", "vm-2"));
        s.enqueue(job("c1", "vm-3"));
        assertEquals(2, started.size(), "a1 and b1 start; a2 waits for vm-1, c1 for a free place");
        assertEquals(2, s.queued());

        started.remove(0).run(); // a1 ends: a2 is first in line and vm-1 is free again
        assertEquals(List.of("a1"), ran);
        started.remove(0).run(); // b1 ends: c1 starts
        assertEquals(List.of("a1", "b1"), ran);
        started.forEach(Runnable::run);
        assertEquals(List.of("a1", "b1", "a2", "c1"), ran);
        assertEquals(0, s.running());
    }

    @Test
    void aQueuedJobCanBeTakenOutButNotOneThatStarted() {
        JobScheduler s = new JobScheduler(1, started::add);
        s.enqueue(job("a", "vm-1"));
        s.enqueue(job("b", "vm-2"));
        assertEquals(false, s.removeQueued("a"));
        assertEquals(true, s.removeQueued("b"));
        started.forEach(Runnable::run);
        assertEquals(List.of("a"), ran);
    }
}
