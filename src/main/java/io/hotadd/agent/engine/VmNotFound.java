package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.VmSelector;

/** The VM a job names is not in vCenter: nothing was done; the caller has to name an existing VM. */
public final class VmNotFound extends AgentException {
    private static final long serialVersionUID = 1L;

    public VmNotFound(VmSelector selector, Throwable cause) {
        super(capitalised(selector.describe()) + " is not in the vCenter this proxy uses; check the moref, "
                + "instance UUID or name, and that the VM was not removed or renamed.", cause);
    }

    private static String capitalised(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
