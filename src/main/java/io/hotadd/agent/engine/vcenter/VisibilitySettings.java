package io.hotadd.agent.engine.vcenter;

import java.time.Duration;

/**
 * How the agent shows its work in vCenter.
 *
 * @param extensionKey     the key the agent's extension is registered under (task and event type ids start with it)
 * @param version          the agent's version: a registered extension with another version is updated
 * @param agentName        how events and tasks name the agent
 * @param attribute        the VM custom attribute set after a successful backup
 * @param progressInterval a task's progress is sent at most this often ...
 * @param progressStep     ... unless it moved at least this many percent since the last update
 * @param cancelPoll       how often running jobs' tasks are checked for a cancel asked in vCenter
 */
public record VisibilitySettings(String extensionKey, String version, String agentName, String attribute,
                                 Duration progressInterval, int progressStep, Duration cancelPoll) {

    public VisibilitySettings {
        if (extensionKey == null || !extensionKey.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("the extension key must be letters, digits, '.', '_' or '-' like "
                    + "'io.hotadd.agent'; got '" + extensionKey + "'");
        }
        if (attribute == null || attribute.isBlank()) {
            throw new IllegalArgumentException("the custom attribute name must not be empty");
        }
        if (progressStep < 1 || progressStep > 100) {
            throw new IllegalArgumentException("the progress step must be 1..100 percent; got " + progressStep);
        }
        if (cancelPoll.toMillis() < 100) {
            throw new IllegalArgumentException("the cancel poll interval must be at least 100 ms; got " + cancelPoll);
        }
    }

    public static VisibilitySettings defaults(String version) {
        return new VisibilitySettings("io.hotadd.agent", version, "hotadd-agent", "Last backup",
                Duration.ofSeconds(5), 5, Duration.ofSeconds(5));
    }

    public VisibilitySettings withRates(Duration progress, int step, Duration poll) {
        return new VisibilitySettings(extensionKey, version, agentName, attribute, progress, step, poll);
    }

    /** The task type of a job of that type, e.g. io.hotadd.agent.backup. */
    public String taskType(String jobType) {
        return extensionKey + "." + jobType;
    }
}
