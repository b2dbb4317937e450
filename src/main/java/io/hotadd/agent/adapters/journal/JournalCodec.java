package io.hotadd.agent.adapters.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotadd.agent.domain.Undo;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's record format, written out field by field (not by reflection) so it stays stable across
 * code changes: a journal written by one agent version must be readable by the next after an upgrade.
 * Golden file: src/test/resources/golden/journal/.
 */
final class JournalCodec {
    static final ObjectMapper JSON = new ObjectMapper();

    private JournalCodec() {
    }

    static ObjectNode record(String kind, String jobId) {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("job", jobId);
        return n;
    }

    static ObjectNode undo(Undo undo) {
        ObjectNode n = JSON.createObjectNode();
        if (undo instanceof Undo.ReleaseGuestDevices u) {
            n.put("type", "release-guest-devices");
            strings(n.putArray("uuids"), u.diskUuids());
        } else if (undo instanceof Undo.DetachFiles u) {
            n.put("type", "detach-files");
            n.put("proxy", u.proxyMoref());
            strings(n.putArray("files"), u.files());
        } else if (undo instanceof Undo.DestroyClone u) {
            n.put("type", "destroy-clone");
            n.put("name", u.name());
            n.put("moref", u.moref());
        } else if (undo instanceof Undo.RemoveSnapshot u) {
            n.put("type", "remove-snapshot");
            n.put("vm", u.vmMoref());
            n.put("name", u.snapshotName());
        } else if (undo instanceof Undo.EnableMethods u) {
            n.put("type", "enable-methods");
            n.put("vm", u.vmMoref());
            strings(n.putArray("methods"), u.methods());
            n.put("source", u.sourceId());
        } else if (undo instanceof Undo.EnableChangeTracking u) {
            n.put("type", "enable-change-tracking");
            n.put("vm", u.vmMoref());
        } else if (undo instanceof Undo.DestroyRestoredVm u) {
            n.put("type", "destroy-restored-vm");
            n.put("name", u.name());
            n.put("restoreJob", u.jobId());
        }
        return n;
    }

    static Undo undo(JsonNode n) {
        String type = n.path("type").asText();
        switch (type) {
            case "release-guest-devices":
                return new Undo.ReleaseGuestDevices(strings(n.path("uuids")));
            case "detach-files":
                return new Undo.DetachFiles(n.path("proxy").asText(), strings(n.path("files")));
            case "destroy-clone":
                return new Undo.DestroyClone(n.path("name").asText(), n.path("moref").isNull() ? null
                        : n.path("moref").asText(null));
            case "remove-snapshot":
                return new Undo.RemoveSnapshot(n.path("vm").asText(), n.path("name").asText());
            case "enable-methods":
                return new Undo.EnableMethods(n.path("vm").asText(), strings(n.path("methods")),
                        n.path("source").asText());
            case "enable-change-tracking":
                return new Undo.EnableChangeTracking(n.path("vm").asText());
            case "destroy-restored-vm":
                return new Undo.DestroyRestoredVm(n.path("name").asText(), n.path("restoreJob").asText());
            default:
                throw new IllegalArgumentException("unknown undo type '" + type + "' in the journal");
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }
}
