package io.hotadd.agent.api;

import io.hotadd.agent.domain.AgentException;

/** A request the API cannot accept as sent (400); the message names the field or parameter and what is allowed. */
public final class InvalidRequest extends AgentException {
    private static final long serialVersionUID = 1L;
    private final String problemType;

    /** @param problemType the slug of the problem type, e.g. {@code invalid-request}, {@code invalid-cursor} */
    public InvalidRequest(String problemType, String message) {
        super(message);
        this.problemType = problemType;
    }

    public String problemType() {
        return problemType;
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
