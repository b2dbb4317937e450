package io.hotadd.agent.boot;

import io.hotadd.agent.boot.appliance.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks the configuration as a whole at start, so a mistake stops the agent with one message naming every
 * bad key and value, instead of surfacing later as a failed job. What only matters once vCenter or the
 * repository is used (their URL, credentials) is checked when they are first opened.
 */
final class ConfigValidation {
    private final List<String> problems = new ArrayList<>();

    static void validate(AgentConfig c) {
        ConfigValidation v = new ConfigValidation();
        v.general(c);
        v.limits(c.limits());
        v.jobs(c.jobs());
        v.api(c.api());
        v.visibility(c.visibility());
        if (!v.problems.isEmpty()) {
            throw new ConfigInvalid(v.problems);
        }
    }

    private void general(AgentConfig c) {
        check(c.stateDir().isAbsolute(), "hotadd.state-dir", c.stateDir(), "an absolute path");
        check(c.proxy().spareControllers() >= 0 && c.proxy().spareControllers() <= 3,
                "hotadd.proxy.spare-controllers", c.proxy().spareControllers(), "0..3 (SCSI buses 1..3)");
        check(c.proxy().unitsPerController() >= 1 && c.proxy().unitsPerController() <= 64,
                "hotadd.proxy.units-per-controller", c.proxy().unitsPerController(),
                "1..64 (15 for LSI Logic and older PVSCSI, up to 64 on PVSCSI with hardware version 14+)");
        c.vcenter().url().ifPresent(u -> check(u.startsWith("https://"), "hotadd.vcenter.url", u,
                "an https:// URL of vCenter, e.g. https://vcenter.example.com"));
        c.vcenter().thumbprint().ifPresent(t -> check(t.replaceAll("(?i)^sha-?(1|256)[:=]", "")
                .replaceAll("[:\\s-]", "").matches("(?i)[0-9a-f]{40}|[0-9a-f]{64}"), "hotadd.vcenter.thumbprint",
                t, "a SHA-256 fingerprint (64 hex digits) or SHA-1 thumbprint (40), colons allowed"));
        readable(c.vcenter().passwordFile(), "hotadd.vcenter.password-file");
        readable(c.vcenter().caBundle(), "hotadd.vcenter.ca-bundle");
        readable(c.repository().keyFile(), "hotadd.repository.key-file");
        readable(c.repository().passphraseFile(), "hotadd.repository.passphrase-file");
        readable(c.repository().s3().accessKeyFile(), "hotadd.repository.s3.access-key-file");
        readable(c.repository().s3().secretKeyFile(), "hotadd.repository.s3.secret-key-file");
        check(c.repository().packSize() >= (1 << 20) && c.repository().packSize() <= (256 << 20),
                "hotadd.repository.pack-size", c.repository().packSize(), "1 MiB..256 MiB (bytes)");
        check(c.repository().parallelism() >= 1 && c.repository().parallelism() <= 32,
                "hotadd.repository.parallelism", c.repository().parallelism(), "1..32");
        positive(c.vcenter().connectTimeout(), "hotadd.vcenter.connect-timeout");
        positive(c.vcenter().readTimeout(), "hotadd.vcenter.read-timeout");
    }

    private void limits(AgentConfig.Limits l) {
        check(l.maxJobs() >= 1 && l.maxJobs() <= 64, "hotadd.limits.max-jobs", l.maxJobs(), "1..64");
        check(l.parallelDisks() >= 1 && l.parallelDisks() <= 64, "hotadd.limits.parallel-disks", l.parallelDisks(),
                "1..64");
        int b = l.readBufferBytes();
        check(b >= (1 << 20) && b <= (4 << 20) && Integer.bitCount(b) == 1, "hotadd.limits.read-buffer-bytes", b,
                "1048576, 2097152 or 4194304 (a power of two from 1 to 4 MiB)");
        check(l.readBuffers() >= 2 && l.readBuffers() <= 256, "hotadd.limits.read-buffers", l.readBuffers(),
                "2..256 (the agent's read memory is read-buffers x read-buffer-bytes)");
        positive(l.slotWait(), "hotadd.limits.slot-wait");
        positive(l.locateTimeout(), "hotadd.limits.locate-timeout");
        positive(l.releaseTimeout(), "hotadd.limits.release-timeout");
    }

    private void jobs(AgentConfig.Jobs j) {
        check(j.retention().toMinutes() >= 1, "hotadd.jobs.retention", j.retention(), "at least one minute");
        check(!j.progressInterval().isNegative(), "hotadd.jobs.progress-interval", j.progressInterval(),
                "zero or more");
        check(j.rateWindow().toMillis() >= 1000, "hotadd.jobs.rate-window", j.rateWindow(), "at least 1s");
        check(!j.shutdownGrace().isNegative(), "hotadd.jobs.shutdown-grace", j.shutdownGrace(), "zero or more");
        check(j.cleanupRetryInterval().toSeconds() >= 1, "hotadd.jobs.cleanup-retry-interval",
                j.cleanupRetryInterval(), "at least 1s (10m is the default)");
    }

    private void api(AgentConfig.Api a) {
        Optional<String> hash = a.auth().tokenSha256();
        hash.ifPresent(h -> check(h.trim().matches("(?i)[0-9a-f]{64}"), "hotadd.api.auth.token-sha256",
                "(" + h.trim().length() + " characters, not shown)", "64 hex digits: the SHA-256 of the token"));
        readable(a.auth().tokenFile(), "hotadd.api.auth.token-file");
        check(hash.isPresent() || a.auth().tokenFile().isPresent() || a.token().isPresent() || a.mtls().enabled(),
                "hotadd.api.auth", "(nothing set)", "hotadd.api.auth.token-sha256, hotadd.api.auth.token-file or "
                + "hotadd.api.token, or hotadd.api.mtls.enabled=true: the API never runs without authentication");
        a.token().ifPresent(t -> check(t.strip().length() >= Setting.MIN_TOKEN_LENGTH, "hotadd.api.token",
                "(" + t.strip().length() + " characters, not shown)",
                "at least " + Setting.MIN_TOKEN_LENGTH + " characters"));
        check(!a.mtls().enabled() || a.tls().enabled(), "hotadd.api.mtls.enabled", true,
                "only with hotadd.api.tls.enabled=true (client certificates need TLS)");
        check(!a.mtls().enabled() || a.mtls().trustCerts().isPresent(), "hotadd.api.mtls.trust-certs", "(not set)",
                "the PEM file of the CAs that issue client certificates, when mTLS is enabled");
        readable(a.mtls().trustCerts(), "hotadd.api.mtls.trust-certs");
        readable(a.tls().keyStore(), "hotadd.api.tls.key-store");
        check(a.tls().keyStore().isEmpty() || a.tls().keyStorePasswordFile().isPresent(),
                "hotadd.api.tls.key-store-password-file", "(not set)", "the file holding the key store's password");
        AgentConfig.Callbacks cb = a.callbacks();
        check(cb.attempts() >= 1 && cb.attempts() <= 20, "hotadd.api.callbacks.attempts", cb.attempts(), "1..20");
        check(!cb.initialDelay().isNegative() && cb.maxDelay().compareTo(cb.initialDelay()) >= 0,
                "hotadd.api.callbacks.max-delay", cb.maxDelay(), "at least initial-delay (" + cb.initialDelay() + ")");
        positive(cb.timeout(), "hotadd.api.callbacks.timeout");
    }

    private void visibility(AgentConfig.Visibility v) {
        check(v.extensionKey().matches("[A-Za-z0-9][A-Za-z0-9._-]*"), "hotadd.visibility.extension-key",
                v.extensionKey(), "letters, digits, '.', '_' and '-', like io.hotadd.agent");
        check(!v.attribute().isBlank(), "hotadd.visibility.attribute", "(empty)", "a custom attribute name");
        check(v.progressStep() >= 1 && v.progressStep() <= 100, "hotadd.visibility.progress-step", v.progressStep(),
                "1..100 (percent)");
        check(!v.progressInterval().isNegative(), "hotadd.visibility.progress-interval", v.progressInterval(),
                "zero or more");
        check(v.cancelPoll().toMillis() >= 100, "hotadd.visibility.cancel-poll", v.cancelPoll(), "at least 100ms");
    }

    private void readable(Optional<Path> file, String key) {
        file.ifPresent(f -> check(Files.isReadable(f), key, f, "a file the agent's user can read"));
    }

    private void positive(Duration d, String key) {
        check(!d.isNegative() && !d.isZero(), key, d, "a positive duration such as 30s or 5m");
    }

    private void check(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            problems.add(key + " = " + value + ": expected " + expected);
        }
    }
}
