package io.hotadd.agent.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What the vSphere Client would show an administrator about one VM, as the harness answers
 * {@code GET /vms/{vm}/activity}: the tasks clients created on it (TaskManager.CreateTask), its events oldest
 * first, its custom attribute values by attribute name, and {@code config.managedBy}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VcsimActivity(String vm, String moref, List<Task> tasks, List<Event> events,
                            Map<String, String> customValues, ManagedBy managedBy) {

    /** @param state queued, running, success or error; {@code error} is the localized message of a failed task */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Task(String task, String typeId, String state, int progress, String description, String error,
                       boolean cancelable, boolean cancelled, String initiatedBy, String queueTime,
                       String startTime, String completeTime) {
    }

    /** @param type the vim25 event type (GeneralUserEvent for LogUserEvent); {@code message} its user text */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Event(int key, String type, String message, String fullMessage, String user, String createdTime) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ManagedBy(String extensionKey, String type) {
    }

    /** A registered extension; {@code labels} are keyed {@code <locale>/<module>/<key>}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Extension(String key, String version, String company, String label, String summary,
                            List<String> taskTypes, List<String> eventTypes, Map<String, String> labels,
                            List<String> managedEntityTypes) {
    }

    /** The messages of the VM's user events (LogUserEvent), oldest first. */
    public List<String> userEvents() {
        return events.stream().filter(e -> "GeneralUserEvent".equals(e.type())).map(Event::message).toList();
    }

    /** Prints the VM's task history, user events, attributes and managedBy, one item a line (for the demo). */
    public String describe() {
        StringBuilder out = new StringBuilder("VM " + vm + " (" + moref + ")\n");
        tasks.forEach(t -> out.append("  task ").append(t.task()).append(' ').append(t.typeId()).append(' ')
                .append(t.state()).append(' ').append(t.progress()).append("% ").append(t.description() == null
                        ? "" : t.description()).append(t.error() == null || t.error().isEmpty() ? ""
                        : " error: " + t.error()).append(t.cancelled() ? " (cancel requested)" : "").append('\n'));
        userEvents().forEach(m -> out.append("  event ").append(m).append('\n'));
        customValues.forEach((k, v) -> out.append("  attribute ").append(k).append(" = ").append(v).append('\n'));
        if (managedBy != null) {
            out.append("  managed by ").append(managedBy.extensionKey()).append(" (").append(managedBy.type())
                    .append(")\n");
        }
        return out.toString();
    }
}
