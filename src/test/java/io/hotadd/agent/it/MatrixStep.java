package io.hotadd.agent.it;

/**
 * The backup workflow's steps as the fault matrix drives them through the harness: where to stop the agent
 * right after the step's side effect (the vCenter call that comes next, held), which vCenter call to fail
 * for the step, and where the session expires. Steps without a vCenter call of their own (locate, guest
 * device delete) are stopped at the next call; they have no vCenter fault of their own.
 */
enum MatrixStep {
    CBT_ENABLE("CBT enable",
            Call.of("DisableMethods", On.ANY, 0), Call.of("ReconfigVM_Task", On.TARGET, 0), "InvalidState", true),
    DISABLE_METHODS("DisableMethods",
            Call.of("CreateSnapshot_Task", On.TARGET, 0), Call.of("DisableMethods", On.ANY, 0), "InvalidState", true),
    SNAPSHOT("snapshot",
            Call.of("CloneVM_Task", On.TARGET, 0), Call.of("CreateSnapshot_Task", On.TARGET, 0), "InvalidState", true),
    CLONE("linked clone",
            Call.of("ReconfigVM_Task", On.PROXY, 0), Call.of("CloneVM_Task", On.TARGET, 0), "InvalidState", true),
    /** Stopped while the disks are attached but hidden from the guest (a publish fault), before locate. */
    ATTACH("attach disks to proxy",
            null, Call.of("ReconfigVM_Task", On.PROXY, 0), "InvalidState", true),
    LOCATE("locate in guest",
            Call.of("QueryChangedDiskAreas", On.ANY, 0), null, null, true),
    /** Stopped after vCenter answered the first disk's changed areas, before the second's. */
    QUERY_CHANGES("changed-areas query",
            Call.of("QueryChangedDiskAreas", On.ANY, 1), Call.of("QueryChangedDiskAreas", On.ANY, 1), "InvalidState",
            true),
    /**
     * Stopped while the disks are being read (the job reports READING; the VM has 48 MiB of data). Nothing of
     * vCenter happens while reading, so this one is caught by watching the job; the detach is held as a
     * backstop, and the matrix prints the phase the agent was really killed in.
     */
    READ_DATA("read disk data",
            Call.of("ReconfigVM_Task", On.PROXY, 1), null, null, false),
    GUEST_DELETE("guest device delete",
            Call.of("ReconfigVM_Task", On.PROXY, 1), null, null, false),
    DETACH("detach from proxy",
            Call.of("Destroy_Task", On.ANY, 0), Call.of("ReconfigVM_Task", On.PROXY, 1), "TaskInProgress", false),
    DESTROY_CLONE("destroy clone",
            Call.of("RemoveSnapshot_Task", On.ANY, 0), Call.of("Destroy_Task", On.ANY, 0), "TaskInProgress", false),
    REMOVE_SNAPSHOT("remove snapshot",
            Call.of("EnableMethods", On.ANY, 0), Call.of("RemoveSnapshot_Task", On.ANY, 0), "TaskInProgress", false),
    /** Nothing of vCenter follows it: the call itself is held, released, and the agent killed at once. */
    ENABLE_METHODS("EnableMethods",
            null, Call.of("EnableMethods", On.ANY, 0), "TaskInProgress", false);

    enum On { ANY, TARGET, PROXY }

    /** The {@code skip}+1-th call of {@code method} on the object. */
    record Call(String method, On on, int skip) {
        static Call of(String method, On on, int skip) {
            return new Call(method, on, skip);
        }

        boolean isTask() {
            return method.endsWith("_Task");
        }
    }

    final String label;
    /** The call right after the step's side effect, held to kill the agent there; null: special (see above). */
    final Call next;
    /** The step's own vCenter call, failed once; null when the step calls nothing in vCenter. */
    final Call own;
    final String faultType;
    /** Whether a fault at this step fails the job (forward steps) or is retried by the cleanup. */
    final boolean faultFailsJob;

    MatrixStep(String label, Call next, Call own, String faultType, boolean faultFailsJob) {
        this.label = label;
        this.next = next;
        this.own = own;
        this.faultType = faultType;
        this.faultFailsJob = faultFailsJob;
    }

    /** Where the session expires: on the step's own call, or the next one when it has none. */
    Call sessionPoint() {
        return own != null ? own : next;
    }
}
