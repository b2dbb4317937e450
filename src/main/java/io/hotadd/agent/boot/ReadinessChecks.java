package io.hotadd.agent.boot;

import io.hotadd.agent.engine.Readiness.Condition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready: one named check per {@link Condition}, with what was found and since when. */
@ApplicationScoped
public class ReadinessChecks {

    @Produces
    @Readiness
    HealthCheck startup(io.hotadd.agent.engine.Readiness r) {
        return () -> report(r, Condition.STARTUP_FINISHED);
    }

    @Produces
    @Readiness
    HealthCheck vcenter(io.hotadd.agent.engine.Readiness r) {
        return () -> report(r, Condition.VCENTER_SESSION);
    }

    @Produces
    @Readiness
    HealthCheck proxyLayout(io.hotadd.agent.engine.Readiness r) {
        return () -> report(r, Condition.PROXY_LAYOUT);
    }

    @Produces
    @Readiness
    HealthCheck repository(io.hotadd.agent.engine.Readiness r) {
        return () -> report(r, Condition.REPOSITORY_WRITABLE);
    }

    private static HealthCheckResponse report(io.hotadd.agent.engine.Readiness r, Condition c) {
        io.hotadd.agent.engine.Readiness.Status s = r.status(c);
        return HealthCheckResponse.named(c.checkName()).status(s.up()).withData("detail", s.detail())
                .withData("since", s.since().toString()).build();
    }
}
