package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiVersionNegotiatorTest {

    private static final List<String> VCENTER_7 = List.of("7.0.3.0", "7.0.2.0", "7.0.1.0", "7.0.0.0", "6.7.3",
            "6.7", "6.5", "6.0");

    @Test
    void readsTheVim25NamespaceOfVimServiceVersions() {
        assertEquals(VCENTER_7, ApiVersionNegotiator.offeredVersions(
                SoapFixtures.vimServiceVersions().getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), ApiVersionNegotiator.offeredVersions("<html>404".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void choosesTheNewestUnlessCappedOrPinned() {
        assertEquals("7.0.3.0", ApiVersionNegotiator.choose(VCENTER_7, ApiVersionPolicy.newestSupported(), "vc"));
        assertEquals("7.0.0.0", ApiVersionNegotiator.choose(VCENTER_7, ApiVersionPolicy.newestUpTo("7.0"), "vc"));
        assertEquals("6.7.3", ApiVersionNegotiator.choose(VCENTER_7, ApiVersionPolicy.newestUpTo("6.9"), "vc"));
        assertEquals("8.0.2.0", ApiVersionNegotiator.choose(List.of("8.0.2.0", "8.0.1.0", "7.0.3.0"),
                ApiVersionPolicy.newestSupported(), "vc"));
        assertEquals("6.7", ApiVersionNegotiator.choose(VCENTER_7, ApiVersionPolicy.exactly("6.7"), "vc"));
        // only about.apiVersion known: an older configured version is still served by vCenter
        assertEquals("6.7", ApiVersionNegotiator.choose(List.of("7.0.3.0"), ApiVersionPolicy.exactly("6.7"), "vc"));
        VSphereException.InvalidSettings tooNew = assertThrows(VSphereException.InvalidSettings.class,
                () -> ApiVersionNegotiator.choose(VCENTER_7, ApiVersionPolicy.exactly("8.0.1.0"), "vc"));
        assertTrue(tooNew.getMessage().contains("7.0.3.0"), tooNew.getMessage());
        assertThrows(VSphereException.InvalidSettings.class,
                () -> ApiVersionNegotiator.choose(List.of("8.0.2.0"), ApiVersionPolicy.newestUpTo("7.0.3.0"), "vc"));
    }

    @Test
    void comparesVersionsNumerically() {
        assertTrue(ApiVersionNegotiator.compare("7.0.10.0", "7.0.3.0") > 0);
        assertTrue(ApiVersionNegotiator.compare("6.7", "6.7.3") < 0);
        assertEquals(0, ApiVersionNegotiator.compare("7.0", "7.0.0.0"));
    }
}
