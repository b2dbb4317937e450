package io.hotadd.agent.api;

import io.hotadd.agent.engine.jobs.ProxyStatusReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/proxy")
@Tag(name = "proxy")
public class ProxyResource {
    private final ProxyStatusReport report;
    private final String version;

    ProxyResource(ProxyStatusReport report, @ConfigProperty(name = "quarkus.application.version") String version) {
        this.report = report;
        this.version = version;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "This proxy: version, its VM, SCSI controllers with used and free slots, jobs, limits, "
            + "repository and readiness", description = "The VM and its controllers are read from vCenter; when "
            + "vCenter cannot be asked, vm is null and vmError says why.")
    public ProxyDocument get() {
        return ProxyDocument.of(version, report.read());
    }
}
