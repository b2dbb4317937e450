package io.hotadd.agent.api;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agent as shipped: TLS on with no certificate configured (so it makes its own in a fresh state
 * directory), plus mTLS trusting two client certificates of which only CN=central is allowed.
 */
public class TlsProfile implements QuarkusTestProfile {
    static final Path STATE;
    static final Path CLIENTS;
    static final String PASSWORD = "client-pass";

    static {
        try {
            // per JVM, not random: the test and the application each load this class, in their own class loader
            Path base = Path.of("target", "tls-test", "run-" + ProcessHandle.current().pid()).toAbsolutePath();
            STATE = base.resolve("state");
            CLIENTS = base.resolve("clients");
            if (!Files.isRegularFile(CLIENTS.resolve("trusted.pem"))) {
                Files.createDirectories(CLIENTS);
                String pem = client("central") + client("intruder");
                Files.writeString(CLIENTS.resolve("trusted.pem"), pem);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("hotadd.state-dir", STATE.toString(), "hotadd.api.tls.enabled", "true",
                "quarkus.http.test-ssl-port", "0", "hotadd.api.mtls.enabled", "true",
                "hotadd.api.mtls.trust-certs", CLIENTS.resolve("trusted.pem").toString(),
                "hotadd.api.mtls.allowed-subjects", "CN=central");
    }

    /** A self-signed client certificate in CLIENTS/{cn}.p12; answers it as PEM. */
    private static String client(String cn) throws IOException {
        Path store = CLIENTS.resolve(cn + ".p12");
        run(List.of("-genkeypair", "-alias", cn, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + cn,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD));
        Path pem = CLIENTS.resolve(cn + ".pem");
        run(List.of("-exportcert", "-rfc", "-alias", cn, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", pem.toString()));
        return Files.readString(pem);
    }

    private static void run(List<String> args) throws IOException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "keytool").toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
