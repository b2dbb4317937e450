package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.Job;
import java.util.List;
import java.util.Optional;

/** @param next where the next page starts; empty on the last page */
public record JobPage(List<Job> jobs, Optional<JobQuery.Position> next) {
    public JobPage {
        jobs = List.copyOf(jobs);
    }
}
