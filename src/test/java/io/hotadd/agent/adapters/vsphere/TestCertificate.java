package io.hotadd.agent.adapters.vsphere;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate in a PKCS12 keystore, made with the JDK's keytool (no test-only crypto
 * library, no internal JDK API), plus its fingerprints and a PEM copy to use as a CA bundle.
 */
final class TestCertificate {

    static final String PASSWORD = "changeit";

    final Path keystore;
    final Path pem;
    final X509Certificate certificate;

    private TestCertificate(Path keystore, Path pem, X509Certificate certificate) {
        this.keystore = keystore;
        this.pem = pem;
        this.certificate = certificate;
    }

    /** A certificate for {@code CN=<name>} that lists only the DNS name {@code localhost}. */
    static TestCertificate create(Path directory, String name) throws Exception {
        Path keystore = directory.resolve(name + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + name + ", O=hotadd test", "-ext", "SAN=dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        X509Certificate certificate = load(keystore);
        Path pem = directory.resolve(name + ".pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return new TestCertificate(keystore, pem, certificate);
    }

    private static X509Certificate load(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return (X509Certificate) store.getCertificate("server");
    }

    String sha256() {
        return CertificateFingerprint.of(certificate, CertificateFingerprint.Algorithm.SHA256).hex();
    }

    String sha1() {
        return CertificateFingerprint.of(certificate, CertificateFingerprint.Algorithm.SHA1).hex();
    }

    ServerTrust pinnedSha256() {
        return new ServerTrust.Pinned(List.of(CertificateFingerprint.parse(sha256())));
    }
}
