package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.Description;
import com.vmware.vim25.ExtManagedEntityInfo;
import com.vmware.vim25.Extension;
import com.vmware.vim25.ExtensionEventTypeInfo;
import com.vmware.vim25.ExtensionResourceInfo;
import com.vmware.vim25.ExtensionTaskTypeInfo;
import com.vmware.vim25.KeyValue;
import io.hotadd.agent.port.VcenterActivity.ExtensionSpec;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.TreeMap;

/**
 * The vim25 {@link Extension} for the agent. Task and event types are listed by id; their labels go into
 * resource lists for locale {@code en}, module {@code task} or {@code event}, where the vSphere Client looks
 * up {@code <id>.label} to show a task or event by name instead of by id. Pure: no I/O.
 */
final class ExtensionDescriptor {

    static final String LOCALE = "en";

    private ExtensionDescriptor() {
    }

    static Extension of(ExtensionSpec spec, Instant now) {
        Extension extension = new Extension();
        extension.key = spec.key();
        extension.version = spec.version();
        extension.company = spec.company();
        extension.description = description(spec.label(), spec.summary());
        extension.taskList = spec.taskTypeIds().stream().map(ExtensionDescriptor::taskType)
                .toArray(ExtensionTaskTypeInfo[]::new);
        extension.eventList = spec.eventTypeIds().stream().map(ExtensionDescriptor::eventType)
                .toArray(ExtensionEventTypeInfo[]::new);
        extension.resourceList = resources(spec);
        extension.managedEntityInfo = new TreeMap<>(spec.managedEntityTypes()).entrySet().stream().map(e -> {
            ExtManagedEntityInfo info = new ExtManagedEntityInfo();
            info.type = e.getKey();
            info.description = e.getValue();
            return info;
        }).toArray(ExtManagedEntityInfo[]::new);
        // required by the WSDL; vCenter shows it as the extension's last sign of life
        extension.lastHeartbeatTime = calendar(now);
        return extension;
    }

    /** Labels of event types in module {@code event}, all others (task types) in module {@code task}. */
    private static ExtensionResourceInfo[] resources(ExtensionSpec spec) {
        Map<String, String> tasks = new TreeMap<>();
        Map<String, String> events = new TreeMap<>();
        spec.labels().forEach((key, label) -> {
            boolean isEvent = spec.eventTypeIds().stream().anyMatch(id -> key.startsWith(id + "."));
            (isEvent ? events : tasks).put(key, label);
        });
        List<ExtensionResourceInfo> resources = new ArrayList<>();
        if (!tasks.isEmpty()) {
            resources.add(resource("task", tasks));
        }
        if (!events.isEmpty()) {
            resources.add(resource("event", events));
        }
        return resources.toArray(ExtensionResourceInfo[]::new);
    }

    private static ExtensionResourceInfo resource(String module, Map<String, String> labels) {
        ExtensionResourceInfo resource = new ExtensionResourceInfo();
        resource.locale = LOCALE;
        resource.module = module;
        resource.data = labels.entrySet().stream().map(e -> {
            KeyValue pair = new KeyValue();
            pair.key = e.getKey();
            pair.value = e.getValue();
            return pair;
        }).toArray(KeyValue[]::new);
        return resource;
    }

    private static ExtensionTaskTypeInfo taskType(String id) {
        ExtensionTaskTypeInfo type = new ExtensionTaskTypeInfo();
        type.taskID = id;
        return type;
    }

    private static ExtensionEventTypeInfo eventType(String id) {
        ExtensionEventTypeInfo type = new ExtensionEventTypeInfo();
        type.eventID = id;
        return type;
    }

    private static Description description(String label, String summary) {
        Description description = new Description();
        description.label = label;
        description.summary = summary;
        return description;
    }

    private static Calendar calendar(Instant instant) {
        GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        calendar.setTimeInMillis(instant.toEpochMilli());
        return calendar;
    }
}
