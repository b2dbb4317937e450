package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;

/** @param replayed true when an earlier request with the same Idempotency-Key and body had created the job */
public record Submitted(Job job, boolean replayed) {
}
