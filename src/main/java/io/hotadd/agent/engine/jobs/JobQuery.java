package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.JobState;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * One page of the job list: newest first, optionally only some states or one VM, after a position.
 *
 * @param states empty means every state
 * @param vm     a VM's moref, name or instance UUID
 * @param after  where the previous page ended
 */
public record JobQuery(Set<JobState> states, Optional<String> vm, int limit, Optional<Position> after) {
    public static final int MAX_LIMIT = 200;

    public JobQuery {
        states = Set.copyOf(states);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
        }
    }

    /** A place in the list: jobs are ordered by creation time, newest first, then by id. */
    public record Position(Instant createdAt, String jobId) {
    }
}
