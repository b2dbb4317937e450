package io.hotadd.agent.boot.appliance;

import io.hotadd.agent.domain.AgentException;

/**
 * The appliance's configuration (OVF environment, guestinfo) is unusable; the message names the value and
 * where to fix it. Never retriable: the admin has to change the vApp options or guestinfo first.
 */
public final class ApplianceConfigException extends AgentException {

    private static final long serialVersionUID = 1L;

    public ApplianceConfigException(String message) {
        super(message);
    }

    public ApplianceConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
