package io.hotadd.agent.port;

import io.hotadd.agent.domain.Job;
import java.util.List;

/**
 * Where the job engine keeps its jobs so that a restart keeps their history (and the idempotency keys they
 * carry). One document per job.
 *
 * <p>Guarantees every implementation gives: {@link #save} replaces the job's document atomically and
 * durably before it returns, so after a crash a job reads as one of its saved versions, never a torn mix;
 * documents of different jobs are independent. Callers serialise saves of one job.
 */
public interface JobStore {

    /** Stores the job's current state, replacing the previous document. */
    void save(Job job);

    /** Every readable job, in no particular order, and a note for every document that could not be read. */
    Loaded loadAll();

    /** Forgets the job (retention). Idempotent. */
    void delete(String jobId);

    /** @param unreadable one sentence per document skipped, naming its file and what was wrong with it */
    record Loaded(List<Job> jobs, List<String> unreadable) {
        public Loaded {
            jobs = List.copyOf(jobs);
            unreadable = List.copyOf(unreadable);
        }
    }
}
