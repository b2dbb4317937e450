package io.hotadd.agent.harness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.harness.VcsimModel.Device;
import io.hotadd.agent.harness.VcsimModel.DiskHash;
import io.hotadd.agent.harness.VcsimModel.FaultRule;
import io.hotadd.agent.harness.VcsimModel.Inventory;
import io.hotadd.agent.harness.VcsimModel.Leftovers;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Rescan;
import io.hotadd.agent.harness.VcsimModel.Violation;
import io.hotadd.agent.harness.VcsimModel.Vm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Client of the harness's loopback control API (docs/vcsim-harness.md, "Control API"). */
public final class VcsimControl {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public VcsimControl(URI base) {
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public Inventory inventory() {
        return get("/inventory", Inventory.class);
    }

    public Vm vm(String nameOrMoref) {
        return inventory().vm(nameOrMoref);
    }

    public Vm createVm(NewVm spec) {
        return post("/vms", spec, Vm.class);
    }

    /** A datastore on the named hosts; vmfsVersion 0 makes it NFS. Answers its moref. */
    public String createDatastore(String name, int vmfsVersion, int blockSizeMb, List<String> hosts) {
        return post("/datastores", Map.of("name", name, "vmfsVersion", vmfsVersion, "blockSizeMb", blockSizeMb,
                "hosts", hosts), JsonNode.class).path("moref").asText();
    }

    public void designateProxy(String vm) {
        post("/proxy", Map.of("vm", vm), JsonNode.class);
    }

    /** A guest write of {@code data} at {@code offset} of the VM's disk {@code key}. */
    public void write(String vm, int key, long offset, byte[] data) {
        post(diskPath(vm, key) + "/write",
                Map.of("offset", offset, "data", Base64.getEncoder().encodeToString(data)), JsonNode.class);
    }

    /** A guest write of a generated pattern: zero, random:SEED, byte:N or text:SEED. */
    public void writePattern(String vm, int key, long offset, long length, String pattern) {
        post(diskPath(vm, key) + "/write", Map.of("offset", offset, "length", length, "pattern", pattern),
                JsonNode.class);
    }

    public DiskHash hash(String vm, int key) {
        return get(diskPath(vm, key) + "/hash", DiskHash.class);
    }

    public DiskHash hashAtSnapshot(String vm, int key, String snapshotMoref) {
        return get(diskPath(vm, key) + "/hash?snapshot=" + snapshotMoref, DiskHash.class);
    }

    public byte[] read(String vm, int key, long offset, int length) {
        return send(HttpRequest.newBuilder(uri(diskPath(vm, key) + "/read?offset=" + offset + "&length=" + length))
                .GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public Leftovers leftovers() {
        return get("/leftovers", Leftovers.class);
    }

    public List<Violation> violations() {
        return get("/violations", new TypeReference<List<Violation>>() { });
    }

    public List<Device> devices() {
        return get("/devices", new TypeReference<List<Device>>() { });
    }

    public List<Rescan> rescans() {
        return get("/rescans", new TypeReference<List<Rescan>>() { });
    }

    public int addFault(FaultRule rule) {
        return post("/faults", rule, JsonNode.class).path("id").asInt();
    }

    public List<FaultRule> faults() {
        return get("/faults", new TypeReference<List<FaultRule>>() { });
    }

    /**
     * A {@code hold} rule: the next {@code count} matching calls wait (after the session check) until
     * {@link #releaseFault}; a call whose caller goes away meanwhile is dropped unexecuted. {@code object} may be null.
     */
    public int hold(String method, String object, int count) {
        Map<String, Object> rule = new java.util.LinkedHashMap<>(Map.of("method", method, "count", count,
                "action", "hold"));
        if (object != null) {
            rule.put("object", object);
        }
        return post("/faults", rule, JsonNode.class).path("id").asInt();
    }

    /** How many calls the rule keeps waiting now (0 for rules that do not hold). */
    public int holding(int ruleId) {
        for (JsonNode r : get("/faults", JsonNode.class)) {
            if (r.path("id").asInt() == ruleId) {
                return r.path("holding").asInt();
            }
        }
        throw new IllegalArgumentException("the harness has no fault rule " + ruleId);
    }

    /** Any GET of the control API as JSON, for fields the typed model leaves out. */
    public JsonNode raw(String path) {
        return get(path, JsonNode.class);
    }

    /** Lets the calls a {@code hold} rule keeps waiting go on. */
    public void releaseFault(int id) {
        post("/faults/" + id + "/release", Map.of(), JsonNode.class);
    }

    public void clearFaults() {
        send(HttpRequest.newBuilder(uri("/faults")).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    /** SOAP calls per method since start or the last {@link #resetCalls()}. */
    public Map<String, Long> calls() {
        return get("/calls", new TypeReference<Map<String, Long>>() { });
    }

    public void resetCalls() {
        send(HttpRequest.newBuilder(uri("/calls")).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sets what vcsim does not model on a VM: encryption, firmware, vTPM, extraConfig, its NVRAM file. */
    public Vm configure(String vm, VcsimModel.VmConfig config) {
        return post("/vms/" + vm + "/config", config, Vm.class);
    }

    /** Makes the key provider reachable or not for CreateVM_Task and PowerOnVM_Task of encrypted VMs. */
    public void keyProvider(String provider, boolean reachable) {
        post("/kms", Map.of("provider", provider, "reachable", reachable), JsonNode.class);
    }

    /** The recorded bodies of CreateVM_Task, ReconfigVM_Task and PowerOnVM_Task requests, oldest first. */
    public List<VcsimModel.Request> requests(String method) {
        return get("/requests?method=" + method, new TypeReference<List<VcsimModel.Request>>() { });
    }

    public void clearRequests() {
        send(HttpRequest.newBuilder(uri("/requests")).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    /** A VM's vCenter tasks made by clients, its events, custom attributes and managedBy (for tests and the demo). */
    public VcsimActivity activity(String vm) {
        return get("/vms/" + java.net.URLEncoder.encode(vm, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")
                + "/activity", VcsimActivity.class);
    }

    /** Every extension registered with the harness's ExtensionManager. */
    public List<VcsimActivity.Extension> extensions() {
        return get("/extensions", new TypeReference<List<VcsimActivity.Extension>>() { });
    }

    public void expireSessions() {
        post("/sessions/expire", Map.of(), JsonNode.class);
    }

    private static String diskPath(String vm, int key) {
        return "/vms/" + vm + "/disks/" + key;
    }

    private <T> T get(String path, Class<T> type) {
        return parse(send(HttpRequest.newBuilder(uri(path)).GET(), HttpResponse.BodyHandlers.ofString()), type);
    }

    private <T> T get(String path, TypeReference<T> type) {
        String body = send(HttpRequest.newBuilder(uri(path)).GET(), HttpResponse.BodyHandlers.ofString());
        try {
            return JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("harness answered " + path + " with unreadable JSON: " + body, e);
        }
    }

    private <T> T post(String path, Object body, Class<T> type) {
        try {
            HttpRequest.Builder req = HttpRequest.newBuilder(uri(path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return parse(send(req, HttpResponse.BodyHandlers.ofString()), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T parse(String body, Class<T> type) {
        try {
            return body.isBlank() ? null : JSON.readValue(body, type);
        } catch (IOException e) {
            throw new UncheckedIOException("harness answered with unreadable JSON: " + body, e);
        }
    }

    private <T> T send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        HttpRequest req = request.timeout(Duration.ofSeconds(120)).build();
        try {
            HttpResponse<T> res = http.send(req, handler);
            if (res.statusCode() >= 300) {
                throw new IllegalStateException("harness " + req.method() + " " + req.uri().getPath() + " -> "
                        + res.statusCode() + ": " + res.body());
            }
            return res.body();
        } catch (IOException e) {
            throw new UncheckedIOException("harness control API unreachable at " + base, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the harness", e);
        }
    }

    private URI uri(String path) {
        return base.resolve(path);
    }
}
