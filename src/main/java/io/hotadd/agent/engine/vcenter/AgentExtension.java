package io.hotadd.agent.engine.vcenter;

import io.hotadd.agent.port.VcenterActivity.ExtensionSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's vCenter extension: its task types (one per kind of job), its event types and the labels the
 * vSphere Client shows for them, and the managed-entity type of the appliance VM.
 */
public final class AgentExtension {
    /** managedBy type of the proxy appliance VM. */
    public static final String APPLIANCE = "appliance";
    public static final List<String> TASK_TYPES = List.of("backup", "restore");
    public static final List<String> EVENT_TYPES = List.of("jobStarted", "jobSucceeded", "jobFailed", "jobCancelled",
            "cleanup");

    private AgentExtension() {
    }

    public static ExtensionSpec spec(VisibilitySettings s) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(s.taskType("backup") + ".label", "HotAdd backup");
        labels.put(s.taskType("backup") + ".summary", "Backs up the VM's disks through the HotAdd backup proxy");
        labels.put(s.taskType("restore") + ".label", "HotAdd restore");
        labels.put(s.taskType("restore") + ".summary", "Restores the VM's disks through the HotAdd backup proxy");
        labels.put(event(s, "jobStarted") + ".label", "HotAdd job started");
        labels.put(event(s, "jobSucceeded") + ".label", "HotAdd job succeeded");
        labels.put(event(s, "jobFailed") + ".label", "HotAdd job failed");
        labels.put(event(s, "jobCancelled") + ".label", "HotAdd job cancelled");
        labels.put(event(s, "cleanup") + ".label", "HotAdd cleanup step");
        return new ExtensionSpec(s.extensionKey(), s.version(), "HotAdd backup agent project", "HotAdd backup agent",
                "Backs up and restores VMs by SCSI HotAdd from a backup proxy appliance ("
                        + s.agentName() + "). Its tasks can be cancelled from the vSphere Client.",
                TASK_TYPES.stream().map(s::taskType).toList(),
                EVENT_TYPES.stream().map(e -> event(s, e)).toList(), labels,
                Map.of(APPLIANCE, "HotAdd backup proxy appliance: the agent attaches and detaches disks on this VM "
                        + "while it backs up other VMs. Do not change its SCSI controllers or disks by hand."));
    }

    private static String event(VisibilitySettings s, String id) {
        return s.extensionKey() + "." + id;
    }
}
