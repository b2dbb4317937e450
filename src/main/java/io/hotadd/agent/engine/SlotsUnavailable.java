package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/** No free SCSI slots on the proxy in time: other jobs hold them. Retriable: they will be released. */
public final class SlotsUnavailable extends AgentException {
    private static final long serialVersionUID = 1L;

    public SlotsUnavailable(String message) {
        super(message);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
