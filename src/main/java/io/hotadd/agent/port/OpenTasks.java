package io.hotadd.agent.port;

import java.util.Optional;

/**
 * Which vCenter task belongs to which unfinished job, kept across agent restarts: a job the agent was running
 * when it stopped is settled FAILED at the next start, and its task, still "running" in vCenter, must end
 * too. Implementations are best effort and never throw: losing an entry leaves one stale task, nothing worse.
 */
public interface OpenTasks {

    void remember(String jobId, String task);

    Optional<String> find(String jobId);

    void forget(String jobId);

    /** Kept in memory only: a restart forgets the tasks (tests, and when no state folder is usable). */
    static OpenTasks inMemory() {
        java.util.Map<String, String> tasks = new java.util.concurrent.ConcurrentHashMap<>();
        return new OpenTasks() {
            @Override
            public void remember(String jobId, String task) {
                tasks.put(jobId, task);
            }

            @Override
            public Optional<String> find(String jobId) {
                return Optional.ofNullable(tasks.get(jobId));
            }

            @Override
            public void forget(String jobId) {
                tasks.remove(jobId);
            }
        };
    }
}
