package io.hotadd.agent.api;

import io.hotadd.agent.boot.VcenterCalls;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BlockDevices;
import io.hotadd.agent.port.GuestDisks;
import io.hotadd.agent.port.LocalSystem;
import io.hotadd.agent.port.RepositoryMaintenance;
import io.hotadd.agent.port.VSphere;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;

/** Replaces every outside-facing port of the agent with the {@link FakeWorld}'s fakes in @QuarkusTest runs. */
@ApplicationScoped
public class FakeWorldProducers {

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    VSphere vsphere(FakeWorld world) {
        return world.vc;
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    GuestDisks guest(FakeWorld world) {
        return world.guest;
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    BlockDevices devices(FakeWorld world) {
        return world.guest;
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    LocalSystem local(FakeWorld world) {
        return () -> Optional.of(world.proxy.biosUuid);
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    BackupRepository repository(FakeWorld world) {
        return world.repo;
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    RepositoryMaintenance maintenance(FakeWorld world) {
        return world.repo;
    }

    @Produces
    @Alternative
    @Priority(1)
    @Singleton
    VcenterCalls vcenterCalls(FakeWorld world) {
        return new VcenterCalls() {
            @Override
            public long soapRoundTrips() {
                return world.vc.faults().calls().size();
            }

            @Override
            public long skippedXml(io.hotadd.agent.adapters.vsphere.SkippedXmlCounter.Kind kind) {
                return 0; // the fake speaks no XML, so nothing can be skipped
            }
        };
    }
}
