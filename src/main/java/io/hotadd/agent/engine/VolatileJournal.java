package io.hotadd.agent.engine;

import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.port.Journal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Journal} kept in memory: for engines built without a state directory (unit tests, tools). It
 * survives nothing, so it protects nothing across a crash; the agent itself always uses the file journal.
 */
public final class VolatileJournal implements Journal {
    private final Map<String, List<Pending>> open = new LinkedHashMap<>();

    @Override
    public synchronized void jobStarted(String jobId, String vmMoref) {
        open.putIfAbsent(jobId, new ArrayList<>());
    }

    @Override
    public synchronized void intent(String jobId, int seq, Undo undo) {
        open.computeIfAbsent(jobId, k -> new ArrayList<>()).add(new Pending(seq, undo));
    }

    @Override
    public synchronized void undone(String jobId, int seq) {
        List<Pending> pending = open.get(jobId);
        if (pending != null) {
            pending.removeIf(p -> p.seq() == seq);
        }
    }

    @Override
    public synchronized void jobEnded(String jobId) {
        open.remove(jobId);
    }

    @Override
    public synchronized Map<String, List<Pending>> unfinished() {
        Map<String, List<Pending>> copy = new LinkedHashMap<>();
        open.forEach((job, pending) -> copy.put(job, List.copyOf(pending)));
        return copy;
    }

    @Override
    public void compact() {
        // nothing on disk to rewrite
    }
}
