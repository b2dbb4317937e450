package io.hotadd.agent.adapters.vsphere;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import java.util.List;

/**
 * A vCenter played by WireMock over https with a test certificate: the session flow of vCenter 7
 * (vimServiceVersions.xml, RetrieveServiceContent setting cookie A, Login, a fresh Login without cookie
 * getting cookie B, Logout), plus whatever a test stubs for single calls.
 */
final class FakeVCenter implements AutoCloseable {

    static final String COOKIE_A = "vmware_soap_session=\"52a1a1a1-aaaa-4aaa-8aaa-aaaaaaaaaaaa\"";
    static final String COOKIE_B = "vmware_soap_session=\"52b2b2b2-bbbb-4bbb-8bbb-bbbbbbbbbbbb\"";
    static final String USER = "svc-backup@vsphere.local";

    final WireMockServer server;

    private FakeVCenter(WireMockServer server) {
        this.server = server;
    }

    static FakeVCenter start(TestCertificate certificate) {
        WireMockServer server = new WireMockServer(wireMockConfig()
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(certificate.keystore.toString())
                .keystoreType("PKCS12")
                .keystorePassword(TestCertificate.PASSWORD)
                .keyManagerPassword(TestCertificate.PASSWORD)
                .containerThreads(24));
        server.start();
        return new FakeVCenter(server);
    }

    String url() {
        return "https://localhost:" + server.httpsPort() + "/sdk";
    }

    String urlByIp() {
        return "https://127.0.0.1:" + server.httpsPort() + "/sdk";
    }

    /** The vCenter 7 login flow; RetrieveServiceContent hands out cookie A, a cookie-less Login cookie B. */
    FakeVCenter withSessionFlow() {
        server.stubFor(get(urlEqualTo("/sdk/vimServiceVersions.xml"))
                .willReturn(aResponse().withHeader("Content-Type", "text/xml")
                        .withBody(SoapFixtures.vimServiceVersions())));
        server.stubFor(soap("RetrieveServiceContent").willReturn(ok(SoapFixtures.serviceContent())
                .withHeader("Set-Cookie", COOKIE_A + "; Path=/; HttpOnly; Secure;")));
        server.stubFor(soap("Login").withHeader("Cookie", equalTo(COOKIE_A))
                .willReturn(ok(SoapFixtures.userSession(USER))));
        server.stubFor(soap("Login").withHeader("Cookie", absent())
                .willReturn(ok(SoapFixtures.userSession(USER))
                        .withHeader("Set-Cookie", COOKIE_B + "; Path=/; HttpOnly; Secure;")));
        server.stubFor(soap("Logout").willReturn(ok(SoapFixtures.empty("Logout"))));
        return this;
    }

    /** A POST to /sdk whose body calls {@code method}. */
    static MappingBuilder soap(String method) {
        return post(urlEqualTo("/sdk")).withRequestBody(containing("<" + method + " xmlns=\"urn:vim25\""));
    }

    static ResponseDefinitionBuilder ok(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "text/xml; charset=utf-8").withBody(body);
    }

    static ResponseDefinitionBuilder fault(String body) {
        return aResponse().withStatus(500).withHeader("Content-Type", "text/xml; charset=utf-8").withBody(body);
    }

    /** The requests that called {@code method}, in arrival order. */
    List<LoggedRequest> calls(String method) {
        return server.findAll(postRequestedFor(urlEqualTo("/sdk"))
                .withRequestBody(containing("<" + method + " xmlns=\"urn:vim25\"")));
    }

    @Override
    public void close() {
        server.stop();
    }
}
