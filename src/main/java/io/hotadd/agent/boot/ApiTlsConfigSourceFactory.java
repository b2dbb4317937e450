package io.hotadd.agent.boot;

import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns {@code hotadd.api.tls.*} and {@code hotadd.api.mtls.*} into Quarkus' TLS settings for the API port.
 * It runs while the configuration is assembled, before the HTTP server starts, which is the only point
 * where a certificate made at first start can still be handed to it. Its ordinal is below
 * application.properties, so explicit {@code quarkus.tls.*} settings win.
 */
public final class ApiTlsConfigSourceFactory implements ConfigSourceFactory {
    static final String TLS_NAME = "hotadd-api";
    private static final int ORDINAL = 150;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext ctx) {
        if (!atRuntime() || !"true".equalsIgnoreCase(value(ctx, "hotadd.api.tls.enabled", "true"))) {
            return List.of();
        }
        SelfSignedCertificate.KeyStoreFile store = keyStore(ctx);
        String prefix = "quarkus.tls." + TLS_NAME + ".";
        Map<String, String> p = new HashMap<>();
        p.put(prefix + "key-store.p12.path", store.path().toString());
        p.put(prefix + "key-store.p12.password", store.password());
        p.put("quarkus.http.tls-configuration-name", TLS_NAME);
        p.put("quarkus.http.insecure-requests", "disabled");
        if ("true".equalsIgnoreCase(value(ctx, "hotadd.api.mtls.enabled", "false"))) {
            String trust = value(ctx, "hotadd.api.mtls.trust-certs", null);
            if (trust != null) {
                p.put(prefix + "trust-store.pem.certs", trust);
            }
            // quarkus.http.ssl.client-auth=request is fixed at build time (application.properties); a
            // certificate only counts when mTLS is on, see ApiGate
        }
        return List.of(new PropertiesConfigSource(p, "hotadd-api-tls", ORDINAL));
    }

    /**
     * Quarkus also assembles the configuration while it builds the application, and bakes the runtime values
     * it sees then into the build as defaults: a certificate must not be made on the build machine, nor its
     * path and password end up in the jar. Only the running agent's configuration gets these values.
     */
    private static boolean atRuntime() {
        ExecutionMode mode = ExecutionMode.current();
        return mode == ExecutionMode.RUNTIME_INIT || mode == ExecutionMode.RUNNING;
    }

    private static SelfSignedCertificate.KeyStoreFile keyStore(ConfigSourceContext ctx) {
        String configured = value(ctx, "hotadd.api.tls.key-store", null);
        if (configured != null) {
            String passwordFile = value(ctx, "hotadd.api.tls.key-store-password-file", null);
            return new SelfSignedCertificate.KeyStoreFile(Path.of(configured), passwordFile == null ? ""
                    : readFirstLine(Path.of(passwordFile), "hotadd.api.tls.key-store-password-file"));
        }
        Path state = Path.of(value(ctx, "hotadd.state-dir", "/var/lib/hotadd-agent"));
        return SelfSignedCertificate.ensure(state.resolve("tls"), hostName());
    }

    static String readFirstLine(Path file, String key) {
        try {
            String s = Files.readString(file).lines().findFirst().orElse("");
            return s.strip();
        } catch (IOException e) {
            throw new UncheckedIOException(key + " = " + file + ": cannot read it (" + e.getMessage() + ")", e);
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static String value(ConfigSourceContext ctx, String name, String fallback) {
        ConfigValue v = ctx.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? fallback : v.getValue().trim();
    }
}
