package io.hotadd.agent.boot.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OvfEnvironmentTest {

    static InputStream fixture() {
        return OvfEnvironmentTest.class.getResourceAsStream("/ovfenv/vcenter-guestinfo.xml");
    }

    @Test
    void readsOwnPropertiesAndVcenterIdButNotOtherEntities() {
        OvfEnvironment env = OvfEnvironment.parse(fixture(), "test");
        assertEquals(Optional.of("vm-1042"), env.vcenterId());
        assertEquals("backup@vsphere.local", env.properties().get("hotadd.vcenter.user"));
        assertEquals("tok-&-secret-0815-4711", env.properties().get("hotadd.api.token"));
        assertEquals("", env.properties().get("hotadd.network.address"));
        assertEquals(9, env.properties().size());
    }

    @Test
    void prefixesDoNotMatterOnlyNamespaces() {
        String xml = "<e:Environment xmlns:e='http://schemas.dmtf.org/ovf/environment/1'><e:PropertySection>"
                + "<e:Property e:key='hotadd.vcenter.user' e:value='u'/></e:PropertySection></e:Environment>";
        OvfEnvironment env = OvfEnvironment.parse(stream(xml), "test");
        assertEquals("u", env.properties().get("hotadd.vcenter.user"));
        assertEquals(Optional.empty(), env.vcenterId());
    }

    @Test
    void unqualifiedAttributesAreNotOvfProperties() {
        String xml = "<Environment xmlns='http://schemas.dmtf.org/ovf/environment/1'><PropertySection>"
                + "<Property key='k' value='v'/></PropertySection></Environment>";
        ApplianceConfigException e = assertThrows(ApplianceConfigException.class,
                () -> OvfEnvironment.parse(stream(xml), "test"));
        assertTrue(e.getMessage().contains("oe:key"), e.getMessage());
    }

    @Test
    void refusesOtherDocumentsAndDoctypes() {
        assertThrows(ApplianceConfigException.class, () -> OvfEnvironment.parse(stream("<Environment/>"), "t"));
        String xxe = "<?xml version='1.0'?><!DOCTYPE e [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<Environment xmlns='http://schemas.dmtf.org/ovf/environment/1'>&x;</Environment>";
        ApplianceConfigException e = assertThrows(ApplianceConfigException.class,
                () -> OvfEnvironment.parse(stream(xxe), "cd"));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        assertThrows(ApplianceConfigException.class, () -> OvfEnvironment.parse(stream("<Environment"), "t"));
    }

    private static InputStream stream(String xml) {
        return new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8));
    }
}
