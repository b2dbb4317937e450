package io.hotadd.agent.adapters.journal;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotadd.agent.port.Journal.Pending;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The journal's meaning, rebuilt from its records: unfinished jobs and their pending undos. */
final class JournalState {
    private final Map<String, List<JsonNode>> records = new LinkedHashMap<>();
    private final Map<String, Map<Integer, Pending>> pending = new LinkedHashMap<>();

    void apply(JsonNode r) {
        String job = r.path("job").asText();
        switch (r.path("kind").asText()) {
            case "start" -> {
                records.computeIfAbsent(job, k -> new ArrayList<>()).add(r);
                pending.computeIfAbsent(job, k -> new LinkedHashMap<>());
            }
            case "intent" -> {
                records.computeIfAbsent(job, k -> new ArrayList<>()).add(r);
                int seq = r.path("seq").asInt();
                pending.computeIfAbsent(job, k -> new LinkedHashMap<>())
                        .put(seq, new Pending(seq, JournalCodec.undo(r.path("undo"))));
            }
            case "undone" -> {
                records.computeIfAbsent(job, k -> new ArrayList<>()).add(r);
                Map<Integer, Pending> p = pending.get(job);
                if (p != null) {
                    p.remove(r.path("seq").asInt());
                }
            }
            case "end" -> {
                records.remove(job);
                pending.remove(job);
            }
            default -> throw new IllegalArgumentException("unknown journal record kind in " + r);
        }
    }

    Map<String, List<Pending>> unfinished() {
        Map<String, List<Pending>> out = new LinkedHashMap<>();
        pending.forEach((job, p) -> out.put(job, List.copyOf(p.values())));
        return out;
    }

    /** What compaction keeps: each unfinished job's start record and its still-pending intents. */
    List<JsonNode> survivingRecords() {
        List<JsonNode> keep = new ArrayList<>();
        records.forEach((job, rs) -> {
            for (JsonNode r : rs) {
                String kind = r.path("kind").asText();
                if (kind.equals("start") || kind.equals("intent") && pending.get(job).containsKey(r.path("seq").asInt())) {
                    keep.add(r);
                }
            }
        });
        return keep;
    }

    void compacted() {
        records.replaceAll((job, rs) -> new ArrayList<>(rs.stream().filter(r -> !r.path("kind").asText().equals("undone")
                && (!r.path("kind").asText().equals("intent") || pending.get(job).containsKey(r.path("seq").asInt())))
                .toList()));
    }
}
