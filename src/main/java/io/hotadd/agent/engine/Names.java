package io.hotadd.agent.engine;

/**
 * Names and markers of what the agent creates in vCenter. Deterministic from the job id, so a step that
 * failed ambiguously or a crashed job can find its objects again, and telling, so an administrator who
 * sees them knows what they are and who will remove them.
 */
public final class Names {
    public static final String PREFIX = "hotadd-";
    public static final String MARK_JOB = "hotadd.job";
    public static final String MARK_ROLE = "hotadd.role";
    public static final String MARK_SOURCE = "hotadd.source";
    /** On a restored VM: the restore point it was restored from. */
    public static final String MARK_RESTORE_POINT = "hotadd.restorePoint";
    private static final int VCENTER_NAME_MAX = 80;

    private Names() {
    }

    public static String snapshot(String jobId) {
        return PREFIX + jobId;
    }

    public static String snapshotDescription(String jobId, String agent, String proxyName) {
        return "Backup snapshot of job " + jobId + " by " + agent + " on proxy VM '" + proxyName + "'. The agent "
                + "removes it when the job ends; if the agent is stopped first, its recovery sweep removes it.";
    }

    public static String clone(String jobId, String vmName) {
        String name = PREFIX + jobId + "-" + vmName;
        return name.length() <= VCENTER_NAME_MAX ? name : name.substring(0, VCENTER_NAME_MAX);
    }

    public static String cloneAnnotation(String jobId, String vmName, String agent) {
        return "Temporary linked clone of '" + vmName + "' for backup job " + jobId + " by " + agent
                + ". Its disks are read by the backup proxy; it is destroyed when the job ends. Do not power it on.";
    }
}
