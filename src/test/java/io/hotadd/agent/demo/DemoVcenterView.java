package io.hotadd.agent.demo;

import io.hotadd.agent.harness.VcsimActivity;
import io.hotadd.agent.harness.VcsimControl;
import java.io.PrintStream;
import java.util.List;

/**
 * What a vSphere admin sees of the demo's jobs in vCenter, read back from the harness: the agent's tasks on
 * the VM, its events, the "Last backup" attribute, and the appliance marked as managed by the extension.
 */
final class DemoVcenterView {
    private static final String TASK_PREFIX = "io.hotadd.agent.";
    private static final long SETTLE_MILLIS = 15_000;

    private DemoVcenterView() {
    }

    /** Prints the view; fails when the backups did not end as successful tasks or left no attribute. */
    static void print(PrintStream out, VcsimControl control, String vm, String proxy, int backups)
            throws InterruptedException {
        out.println("== 9. What the vSphere admin sees in vCenter (harness: GET /vms/{vm}/activity)");
        VcsimActivity activity = settled(control, vm, backups);
        List<VcsimActivity.Task> ours = agentTasks(activity);
        ours.forEach(t -> out.printf("   task %-28s %-7s %3d%%  %s%n", t.typeId(), t.state(), t.progress(),
                t.description()));
        activity.userEvents().forEach(m -> out.println("   event " + m));
        activity.customValues().forEach((k, v) -> out.println("   attribute " + k + " = " + v));
        VcsimActivity.ManagedBy managed = control.activity(proxy).managedBy();
        out.println("   proxy " + proxy + " managed by " + (managed == null ? "nothing" : managed.extensionKey()));
        if (ours.stream().filter(t -> "success".equals(t.state())).count() < backups
                || !activity.customValues().containsKey("Last backup") || managed == null) {
            throw new DemoFailure("vCenter does not show the backups as the admin should see them: " + activity);
        }
    }

    // the agent ends its vCenter tasks from a background thread, a moment after the job itself
    private static VcsimActivity settled(VcsimControl control, String vm, int backups) throws InterruptedException {
        long deadline = System.currentTimeMillis() + SETTLE_MILLIS;
        VcsimActivity activity = control.activity(vm);
        while (agentTasks(activity).stream().filter(t -> "success".equals(t.state())).count() < backups
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            activity = control.activity(vm);
        }
        return activity;
    }

    private static List<VcsimActivity.Task> agentTasks(VcsimActivity activity) {
        return activity.tasks().stream().filter(t -> t.typeId() != null && t.typeId().startsWith(TASK_PREFIX)).toList();
    }
}
