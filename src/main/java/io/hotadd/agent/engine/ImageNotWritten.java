package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;

/** A restore to an image could not put the file where asked; retriable, since space or permissions can be fixed. */
public final class ImageNotWritten extends AgentException {
    private static final long serialVersionUID = 1L;

    public ImageNotWritten(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
