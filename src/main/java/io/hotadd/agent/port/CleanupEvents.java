package io.hotadd.agent.port;

import io.hotadd.agent.domain.VmRef;

/**
 * Tells vSphere administrators what the agent took back on a VM: a cleanup or recovery step (a snapshot
 * removed, a clone destroyed, a disk detached, methods enabled again) becomes an event on that VM. Must never
 * throw or block for long: a cleanup continues whether or not vCenter took the event.
 */
@FunctionalInterface
public interface CleanupEvents {

    /**
     * @param vm     the VM the action concerns (the backed-up VM, or the proxy for a detached disk)
     * @param jobId  the job that created what was cleaned up, as in the object's name
     * @param action what was done, in words an administrator understands, e.g. "removed snapshot hotadd-…"
     */
    void cleanupAction(VmRef vm, String jobId, String action);

    CleanupEvents NONE = (vm, jobId, action) -> { };
}
