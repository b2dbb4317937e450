package io.hotadd.agent.boot;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.EngineSettings;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration as SmallRye maps it, checked and mapped onto the engine's records, without Quarkus. */
class ConfigValidationTest {
    private static final String HASH = "4c5dc9b7708905f77f5e5d16316b5dfb425e68cb326dcd55a860e90a7707031e";

    private static AgentConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of("hotadd.api.auth.token-sha256", HASH));
        all.putAll(values);
        // Quarkus' own converters: durations such as "30s" and paths read as the running agent reads them
        SmallRyeConfig c = new SmallRyeConfigBuilder().withMapping(AgentConfig.class)
                .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withConverter(java.nio.file.Path.class, 200, new io.quarkus.runtime.configuration.PathConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100)).build();
        return c.getConfigMapping(AgentConfig.class);
    }

    @Test
    void theDefaultsAreValid() {
        assertDoesNotThrow(() -> ConfigValidation.validate(config(Map.of())));
    }

    @Test
    void everyProblemIsReportedWithItsKeyAndValue() {
        ConfigInvalid e = assertThrows(ConfigInvalid.class, () -> ConfigValidation.validate(config(Map.of(
                "hotadd.limits.max-jobs", "0", "hotadd.limits.read-buffer-bytes", "3000000",
                "hotadd.vcenter.url", "http://vc", "hotadd.vcenter.thumbprint", "12:34",
                "hotadd.proxy.spare-controllers", "4", "hotadd.state-dir", "relative/state"))));
        String m = e.getMessage();
        assertTrue(m.contains("6 problems"), m);
        assertTrue(m.contains("hotadd.limits.max-jobs = 0: expected 1..64"), m);
        assertTrue(m.contains("hotadd.limits.read-buffer-bytes = 3000000"), m);
        assertTrue(m.contains("hotadd.vcenter.url = http://vc"), m);
        assertTrue(m.contains("hotadd.vcenter.thumbprint = 12:34"), m);
        assertTrue(m.contains("hotadd.proxy.spare-controllers = 4"), m);
        assertTrue(m.contains("hotadd.state-dir = relative/state"), m);
    }

    @Test
    void theApiNeverRunsWithoutAuthenticationAndSecretsAreNotEchoed() {
        ConfigInvalid none = assertThrows(ConfigInvalid.class, () -> ConfigValidation.validate(config(Map.of(
                "hotadd.api.auth.token-sha256", ""))));
        assertTrue(none.getMessage().contains("hotadd.api.auth = (nothing set)"), none.getMessage());
        ConfigInvalid bad = assertThrows(ConfigInvalid.class, () -> ConfigValidation.validate(config(Map.of(
                "hotadd.api.auth.token-sha256", "my-secret-token"))));
        assertFalse(bad.getMessage().contains("my-secret-token"), bad.getMessage());
        assertTrue(bad.getMessage().contains("hotadd.api.auth.token-sha256"), bad.getMessage());
    }

    @Test
    void mtlsNeedsTlsAndTrustedCertificates() {
        ConfigInvalid e = assertThrows(ConfigInvalid.class, () -> ConfigValidation.validate(config(Map.of(
                "hotadd.api.mtls.enabled", "true", "hotadd.api.tls.enabled", "false"))));
        assertTrue(e.getMessage().contains("hotadd.api.mtls.enabled"), e.getMessage());
        assertTrue(e.getMessage().contains("hotadd.api.mtls.trust-certs"), e.getMessage());
    }

    /** The keys the appliance's first boot writes into /etc/hotadd-agent/agent.properties (boot.appliance.Setting). */
    @Test
    void theAppliancesPropertiesAreAccepted() {
        AgentConfig c = config(Map.of("hotadd.api.auth.token-sha256", "", "hotadd.api.token", "a-long-appliance-token",
                "hotadd.vcenter.url", "https://vc.example.com", "hotadd.vcenter.user", "backup@vsphere.local",
                "hotadd.vcenter.password", "s3cret", "hotadd.repository.path", "/srv/backups",
                "hotadd.repository.passphrase", "correct horse", "hotadd.proxy.vm-moref", "vm-42",
                "hotadd.blockdev.helper-socket", "/run/hotadd-helper.sock"));
        assertDoesNotThrow(() -> ConfigValidation.validate(c));
        assertEquals(new VmSelector.ByMoref(new io.hotadd.agent.domain.VmRef("vm-42")),
                new EngineProducers().engineSettings(c).proxyVm().orElseThrow());
        io.hotadd.agent.api.ApiCredentials credentials = new ApiProducers().credentials(c);
        assertEquals(io.hotadd.agent.api.ApiCredentials.Verdict.ALLOWED,
                credentials.check("Bearer a-long-appliance-token", null));
        assertEquals(io.hotadd.agent.api.ApiCredentials.Verdict.WRONG_TOKEN, credentials.check("Bearer other", null));
        ConfigInvalid shortToken = assertThrows(ConfigInvalid.class, () -> ConfigValidation.validate(config(Map.of(
                "hotadd.api.auth.token-sha256", "", "hotadd.api.token", "tiny"))));
        assertFalse(shortToken.getMessage().contains("tiny"), shortToken.getMessage());
    }

    @Test
    void limitsAreMappedOntoTheEngineSettings() {
        AgentConfig c = config(Map.of("hotadd.limits.parallel-disks", "3", "hotadd.proxy.vm", "vm-7",
                "hotadd.limits.slot-wait", "5m", "hotadd.proxy.units-per-controller", "64"));
        EngineSettings s = new EngineProducers().engineSettings(c);
        assertEquals(3, s.parallelDisks());
        assertEquals(64, s.unitsPerController());
        assertEquals(java.time.Duration.ofMinutes(5), s.slotWait());
        assertEquals(new VmSelector.ByMoref(new io.hotadd.agent.domain.VmRef("vm-7")), s.proxyVm().orElseThrow());
        assertEquals(new VmSelector.ByName("backup-proxy-01"), EngineProducers.selector("backup-proxy-01"));
    }
}
