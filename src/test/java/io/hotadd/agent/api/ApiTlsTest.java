package io.hotadd.agent.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.boot.SelfSignedCertificate;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * TLS as shipped: a certificate made at first start in the state directory is what the API port serves
 * (clients pin its fingerprint), tokens work over it, and with mTLS a client certificate replaces the token
 * when its subject is allowed.
 */
@QuarkusTest
@TestProfile(TlsProfile.class)
class ApiTlsTest {
    @TestHTTPResource(value = "/api/v1/jobs", tls = true)
    URL jobs;

    private static final Path STORE = TlsProfile.STATE.resolve("tls").resolve("api.p12");

    /** Trusts exactly the agent's generated certificate, and presents {@code clientCn}'s when given. */
    private static HttpClient client(String clientCn) throws Exception {
        String password = Files.readString(TlsProfile.STATE.resolve("tls").resolve("api.p12.password")).trim();
        KeyStore server = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(STORE)) {
            server.load(in, password.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(server);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (clientCn != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(TlsProfile.CLIENTS.resolve(clientCn + ".p12"))) {
                ks.load(in, TlsProfile.PASSWORD.toCharArray());
            }
            kmf.init(ks, TlsProfile.PASSWORD.toCharArray());
        }
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(clientCn == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }

    private HttpResponse<String> get(HttpClient client, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(jobs.toString().replace("127.0.0.1", "localhost")));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return client.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theCertificateMadeAtFirstStartIsServedAndItsFingerprintIsTheOneReported() throws Exception {
        assertTrue(Files.isRegularFile(STORE), "a key store was made in the state directory");
        HttpResponse<String> r = get(client(null), ApiTestSupport.TOKEN);
        assertEquals(200, r.statusCode(), r.body());
        byte[] served = r.sslSession().orElseThrow().getPeerCertificates()[0].getEncoded();
        String fingerprint = HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("SHA-256").digest(served))
                .toUpperCase(Locale.ROOT);
        String password = Files.readString(TlsProfile.STATE.resolve("tls").resolve("api.p12.password")).trim();
        assertEquals(SelfSignedCertificate.sha256Fingerprint(STORE, password), fingerprint);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(STORE)));
    }

    @Test
    void anAllowedClientCertificateReplacesTheToken() throws Exception {
        assertEquals(200, get(client("central"), null).statusCode());
    }

    @Test
    void aTrustedCertificateWithAnotherSubjectIsForbidden() throws Exception {
        HttpResponse<String> r = get(client("intruder"), null);
        assertEquals(403, r.statusCode(), r.body());
        assertTrue(r.body().contains(ProblemDocument.TYPE_BASE + "forbidden"), r.body());
    }

    @Test
    void withoutCertificateOrTokenItIsUnauthorized() throws Exception {
        HttpResponse<String> r = get(client(null), null);
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer realm=\"hotadd-agent\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
    }
}
