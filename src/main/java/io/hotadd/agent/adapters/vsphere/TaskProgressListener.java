package io.hotadd.agent.adapters.vsphere;

/**
 * Hears the progress of the vCenter tasks the adapter waits for (snapshot, clone, reconfigure...), so a job
 * can mirror it in its own status. Called on the waiting thread; must return quickly and not throw.
 */
@FunctionalInterface
public interface TaskProgressListener {

    /** Ignores progress. */
    TaskProgressListener NONE = (task, action, object, percent) -> { };

    /**
     * @param task    the vCenter task, e.g. {@code task-4711}
     * @param action  what the agent asked for, e.g. "create snapshot 'hotadd-42'"
     * @param object  the object it acts on, e.g. {@code VirtualMachine:vm-42}
     * @param percent 0-100 as vCenter reports it; 100 once the task succeeded
     */
    void progress(String task, String action, String object, int percent);
}
