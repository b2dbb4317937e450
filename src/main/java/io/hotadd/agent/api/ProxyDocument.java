package io.hotadd.agent.api;

import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.jobs.ProxyStatusReport.Controller;
import io.hotadd.agent.engine.jobs.ProxyStatusReport.ProxyStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** GET /api/v1/proxy: the agent, its VM, its SCSI slots, its jobs, limits and repository. */
@Schema(name = "Proxy")
public record ProxyDocument(String version,
                            @Schema(description = "null when vCenter could not be asked; vmError says why") Vm vm,
                            String vmError,
                            List<Slots> controllers,
                            Jobs jobs,
                            Limits limits,
                            Repository repository,
                            @Schema(description = "Readiness conditions by name") Map<String, Condition> readiness) {

    @Schema(name = "ProxyVm")
    public record Vm(String name, String moref) {
    }

    @Schema(name = "ProxyController")
    public record Slots(int bus, int key, String type, int capacity, int used, int reserved, int free) {
    }

    @Schema(name = "ProxyJobs")
    public record Jobs(int running, int queued, int maxJobs) {
    }

    @Schema(name = "ProxyLimits")
    public record Limits(int maxJobs, int parallelDisks, int spareControllers, int unitsPerController,
                         int readBufferBytes, int readBuffers) {
    }

    @Schema(name = "ProxyRepository")
    public record Repository(String location, boolean writable, String detail) {
    }

    @Schema(name = "ReadinessCondition")
    public record Condition(boolean up, String detail, String since) {
    }

    static ProxyDocument of(String version, ProxyStatus s) {
        Vm vm = s.vmName().isPresent() ? new Vm(s.vmName().get(), s.vmMoref().orElse(null)) : null;
        List<Slots> slots = s.controllers().stream().map(ProxyDocument::slots).toList();
        Repository repo = s.repository() != null
                ? new Repository(s.repository().location(), s.repository().writable(), s.repository().detail())
                : new Repository(null, false, s.repositoryError().orElse("unknown"));
        Map<String, Condition> ready = new LinkedHashMap<>();
        s.readiness().forEach((c, st) -> ready.put(c.checkName(), condition(st)));
        return new ProxyDocument(version, vm, s.vmError().orElse(null), slots,
                new Jobs(s.runningJobs(), s.queuedJobs(), s.maxJobs()),
                new Limits(s.maxJobs(), s.limits().parallelDisks(), s.limits().spareControllers(),
                        s.limits().unitsPerController(), s.limits().readBufferBytes(), s.limits().readBuffers()),
                repo, ready);
    }

    private static Slots slots(Controller c) {
        return new Slots(c.bus(), c.key(), c.type(), c.capacity(), c.used(), c.reserved(), c.free());
    }

    private static Condition condition(Readiness.Status s) {
        return new Condition(s.up(), s.detail(), s.since().toString());
    }
}
