package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.JobState;

/** A cancel (or another change) asked of a job that has already ended. */
public final class JobAlreadyFinished extends AgentException {
    private static final long serialVersionUID = 1L;

    public JobAlreadyFinished(String jobId, JobState state) {
        super("Job " + jobId + " has already ended (" + state + "), so there is nothing to cancel; start a new job "
                + "if one is needed.");
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
