package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.vsphere.ServerTrust;
import io.hotadd.agent.adapters.vsphere.SkippedXmlCounter;
import io.hotadd.agent.adapters.vsphere.VSphereCredentials;
import io.hotadd.agent.adapters.vsphere.VSphereSession;
import io.hotadd.agent.adapters.vsphere.VSphereSettings;
import io.hotadd.agent.port.VSphere;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The agent's vCenter session, opened on first use from {@code hotadd.vcenter.*} (so a vCenter that is down
 * at start delays readiness instead of stopping the agent), handed to the {@link VSphereFactory}, and
 * logged out when the agent stops.
 */
@Singleton
public class VcenterConnection implements VcenterCalls {
    private final AgentConfig config;
    private final VSphereFactory factory;
    private VSphereSession session;
    private VSphere gateway;

    VcenterConnection(AgentConfig config, VSphereFactory factory) {
        this.config = config;
        this.factory = factory;
    }

    synchronized VSphere gateway() {
        if (gateway == null) {
            VSphereSession opened = open();
            gateway = factory.gateway(opened);
            session = opened;
        }
        return gateway;
    }

    private VSphereSession open() {
        AgentConfig.Vcenter vc = config.vcenter();
        List<String> missing = new ArrayList<>();
        vc.url().ifPresentOrElse(u -> { }, () -> missing.add("hotadd.vcenter.url (the vCenter to use)"));
        vc.user().ifPresentOrElse(u -> { }, () -> missing.add("hotadd.vcenter.user"));
        if (vc.passwordFile().isEmpty() && vc.password().isEmpty()) {
            missing.add("hotadd.vcenter.password-file (or hotadd.vcenter.password)");
        }
        if (vc.thumbprint().isEmpty() && vc.caBundle().isEmpty()) {
            missing.add("hotadd.vcenter.thumbprint or hotadd.vcenter.ca-bundle (how to trust vCenter's certificate)");
        }
        if (!missing.isEmpty()) {
            throw new ConfigInvalid(missing.stream().map(k -> k + " = (not set): required to reach vCenter").toList());
        }
        ServerTrust trust = vc.thumbprint().map(ServerTrust::pinned).orElseGet(() -> ServerTrust.caBundle(vc.caBundle()
                .orElseThrow()));
        VSphereSettings settings = VSphereSettings.of(vc.url().get(), trust)
                .withTimeouts(vc.connectTimeout(), vc.readTimeout());
        char[] password = vc.passwordFile().map(f -> ApiTlsConfigSourceFactory.readFirstLine(f,
                "hotadd.vcenter.password-file")).orElseGet(() -> vc.password().orElseThrow().strip()).toCharArray();
        try {
            return VSphereSession.open(settings, new VSphereCredentials(vc.user().get(), password));
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    @Override
    public synchronized long soapRoundTrips() {
        return session == null ? 0 : session.soapRoundTrips();
    }

    @Override
    public synchronized long skippedXml(SkippedXmlCounter.Kind kind) {
        return session == null ? 0 : session.skippedXml().count(kind);
    }

    @PreDestroy
    synchronized void logout() {
        if (session != null) {
            session.close();
        }
    }
}
