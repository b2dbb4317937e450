package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;

/** No job with that id (never created, or removed by retention). */
public final class JobNotFound extends AgentException {
    private static final long serialVersionUID = 1L;

    public JobNotFound(String jobId) {
        super("There is no job '" + jobId + "' on this agent; it never existed or its history was removed after "
                + "the retention period. List the jobs to find current ones.");
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
