package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.ok;
import static io.hotadd.agent.adapters.vsphere.FakeVCenter.soap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vmware.vim25.ServiceContent;
import com.vmware.vim25.VimPortType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pinning and CA-bundle trust against two WireMock vCenters with different self-signed certificates. */
class CertificateTrustTest {

    @TempDir
    static Path certificates;
    static TestCertificate certA;
    static TestCertificate certB;
    static FakeVCenter vcA;
    static FakeVCenter vcB;

    @BeforeAll
    static void startTwoVCenters() throws Exception {
        certA = TestCertificate.create(certificates, "vcenter-a");
        certB = TestCertificate.create(certificates, "vcenter-b");
        vcA = FakeVCenter.start(certA);
        vcB = FakeVCenter.start(certB);
        for (FakeVCenter vc : new FakeVCenter[] {vcA, vcB}) {
            vc.server.stubFor(soap("RetrieveServiceContent").willReturn(ok(SoapFixtures.serviceContent())));
        }
    }

    @AfterAll
    static void stop() {
        vcA.close();
        vcB.close();
    }

    private static ServiceContent retrieveServiceContent(String url, ServerTrust trust) throws Exception {
        VimSoapClient client = new VimSoapClient(URI.create(url), trust, Duration.ofSeconds(5), Duration.ofSeconds(10),
                "7.0.3.0", VimTypeRegistry.withProjectTypes(), new SkippedXmlCounter());
        return new VimPortType(client).retrieveServiceContent(VSphereSession.mor("ServiceInstance", "ServiceInstance"));
    }

    @Test
    void wrongCertificateIsRefusedShowingExpectedAndPresentedFingerprints() {
        int before = vcA.server.getAllServeEvents().size();
        VSphereException.UntrustedCertificate e = assertThrows(VSphereException.UntrustedCertificate.class,
                () -> VSphereSession.open(VSphereSettings.of(vcA.url(), certB.pinnedSha256()),
                        new VSphereCredentials("u", "p".toCharArray())));
        String message = e.getMessage();
        assertTrue(message.contains("Expected: SHA-256 " + certB.sha256()), message);
        assertTrue(message.contains("Presented: SHA-256 " + certA.sha256()), message);
        assertTrue(message.contains("SHA-1 " + certA.sha1()), message);
        assertTrue(message.contains("update the pinned fingerprint"), message);
        assertTrue(message.contains(vcA.url()), message);
        assertFalse(e.isRetriable());
        assertEquals(before, vcA.server.getAllServeEvents().size(), "no request may pass a refused handshake");
    }

    @Test
    void twoDifferentlyPinnedClientsInOneJvmEachKeepTheirOwnTrust() throws Exception {
        SSLSocketFactory defaultFactory = HttpsURLConnection.getDefaultSSLSocketFactory();
        HostnameVerifier defaultVerifier = HttpsURLConnection.getDefaultHostnameVerifier();
        SSLContext defaultContext = SSLContext.getDefault();

        ServerTrust pinA = certA.pinnedSha256();
        ServerTrust pinB = certB.pinnedSha256();
        assertEquals("VMware vCenter Server", retrieveServiceContent(vcA.url(), pinA).about.name);
        assertThrows(VSphereException.UntrustedCertificate.class, () -> retrieveServiceContent(vcA.url(), pinB));
        assertEquals("7.0.3.0", retrieveServiceContent(vcA.url(), pinA).about.apiVersion);
        assertEquals("7.0.3.0", retrieveServiceContent(vcB.url(), pinB).about.apiVersion);
        assertThrows(VSphereException.UntrustedCertificate.class, () -> retrieveServiceContent(vcB.url(), pinA));
        assertEquals("7.0.3.0", retrieveServiceContent(vcB.url(), pinB).about.apiVersion);

        assertSame(defaultFactory, HttpsURLConnection.getDefaultSSLSocketFactory());
        assertSame(defaultVerifier, HttpsURLConnection.getDefaultHostnameVerifier());
        assertSame(defaultContext, SSLContext.getDefault());
    }

    @Test
    void vCenterStyleSha1ThumbprintIsAcceptedAndHostNameIgnoredWhenPinning() throws Exception {
        String thumbprint = certA.sha1().replace(":", "").toLowerCase(Locale.ROOT);
        ServiceContent content = retrieveServiceContent(vcA.urlByIp(), ServerTrust.pinned(thumbprint));
        assertEquals("7.0.3.0", content.about.apiVersion);
        content = retrieveServiceContent(vcA.urlByIp(), ServerTrust.pinned(certA.sha1()));
        assertEquals("7.0.3.0", content.about.apiVersion);
        ServerTrust eitherPin = ServerTrust.pinned(certB.sha256(), "SHA256:" + certA.sha256().toLowerCase(Locale.ROOT));
        assertEquals("7.0.3.0", retrieveServiceContent(vcA.url(), eitherPin).about.apiVersion);
    }

    @Test
    void caBundleTrustsItsIssuerAndChecksTheHostName() throws Exception {
        assertEquals("7.0.3.0", retrieveServiceContent(vcA.url(), ServerTrust.caBundle(certA.pem)).about.apiVersion);

        VSphereException.UntrustedCertificate wrongName = assertThrows(VSphereException.UntrustedCertificate.class,
                () -> retrieveServiceContent(vcA.urlByIp(), ServerTrust.caBundle(certA.pem)));
        assertTrue(wrongName.getMessage().contains(certA.pem.toString()), wrongName.getMessage());
        assertTrue(wrongName.getMessage().contains("host name"), wrongName.getMessage());

        VSphereException.UntrustedCertificate otherCa = assertThrows(VSphereException.UntrustedCertificate.class,
                () -> retrieveServiceContent(vcA.url(), ServerTrust.caBundle(certB.pem)));
        assertTrue(otherCa.getMessage().contains("Presented: SHA-256 " + certA.sha256()), otherCa.getMessage());

        VSphereException.InvalidSettings missing = assertThrows(VSphereException.InvalidSettings.class,
                () -> ServerTrust.caBundle(certificates.resolve("missing.pem")).trustManager());
        assertTrue(missing.getMessage().contains("missing.pem"), missing.getMessage());
    }

    @Test
    void fingerprintSpellings() {
        CertificateFingerprint colons = CertificateFingerprint.parse(certA.sha256());
        assertEquals(colons, CertificateFingerprint.parse(certA.sha256().replace(":", "").toLowerCase(Locale.ROOT)));
        assertEquals(colons, CertificateFingerprint.parse("sha-256 " + certA.sha256()));
        assertEquals(CertificateFingerprint.Algorithm.SHA1, CertificateFingerprint.parse(certA.sha1()).algorithm());
        assertTrue(CertificateFingerprint.parse(certA.sha1()).matches(certA.certificate));
        assertFalse(CertificateFingerprint.parse(certB.sha1()).matches(certA.certificate));
        assertThrows(VSphereException.InvalidSettings.class, () -> CertificateFingerprint.parse("AB:CD"));
        assertThrows(VSphereException.InvalidSettings.class, () -> CertificateFingerprint.parse("zz" + certA.sha1()));
        assertThrows(VSphereException.InvalidSettings.class, () -> CertificateFingerprint.parse(null));
        assertThrows(VSphereException.InvalidSettings.class, ServerTrust::pinned);
    }
}
