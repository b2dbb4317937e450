package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.port.JobStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link JobStore} in memory; keeps every saved version so tests can see what was made durable when. */
public final class MemoryJobStore implements JobStore {
    private final Map<String, Job> latest = new ConcurrentHashMap<>();
    private final List<Job> saves = new ArrayList<>();

    @Override
    public synchronized void save(Job job) {
        latest.put(job.id(), job);
        saves.add(job);
    }

    @Override
    public synchronized Loaded loadAll() {
        return new Loaded(List.copyOf(latest.values()), List.of());
    }

    @Override
    public synchronized void delete(String jobId) {
        latest.remove(jobId);
    }

    public synchronized List<Job> saves() {
        return List.copyOf(saves);
    }
}
