package io.hotadd.agent.boot.appliance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplianceConfigTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private Path ovf;

    @BeforeEach
    void fixture() throws IOException {
        ovf = dir.resolve("ovf-env.xml");
        Files.copy(OvfEnvironmentTest.fixture(), ovf, StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void writesAgentPropertiesPrivatelyAndNeverLogsSecrets() throws IOException {
        assertEquals(0, run("--ovf-env", ovf.toString(), "--ovf-source", "CD-ROM"));
        Path file = dir.resolve("etc/agent.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Properties p = load(file);
        assertEquals("https://vc.example.test/sdk", p.getProperty("hotadd.vcenter.url"));
        assertEquals("VMware1!=x", p.getProperty("hotadd.vcenter.password"));
        assertEquals("tok-&-secret-0815-4711", p.getProperty("hotadd.api.token"));
        assertEquals("vm-1042", p.getProperty("hotadd.proxy.vm-moref"));
        assertEquals("/run/hotadd-helper.sock", p.getProperty("hotadd.blockdev.helper-socket"));
        assertEquals("true", p.getProperty("hotadd.repository.init-if-missing"));
        assertFalse(p.containsKey("hotadd.network.mode"), "network settings are not the agent's");

        String everythingPrinted = log.toString(StandardCharsets.UTF_8) + Files.readString(dir.resolve("summary"));
        for (String secret : new String[] {"VMware1!", "tok-&-secret-0815-4711", "repo pass phrase"}) {
            assertFalse(everythingPrinted.contains(secret), "secret leaked: " + everythingPrinted);
        }
        assertTrue(everythingPrinted.contains("hotadd.vcenter.password=(set)"), everythingPrinted);
        assertTrue(everythingPrinted.contains("network=dhcp"), everythingPrinted);
        assertFalse(Files.exists(dir.resolve("network/" + Network.STATIC_FILE)));
    }

    @Test
    void guestinfoOverridesOvfAndStaticNetworkIsRendered() throws IOException {
        Path guestinfo = dir.resolve("guestinfo.properties");
        Files.writeString(guestinfo, "hotadd.vcenter.user=other@vsphere.local\nhotadd.network.mode=static\n"
                + "hotadd.network.address=192.0.2.10\nhotadd.network.netmask=255.255.255.0\n"
                + "hotadd.network.gateway=192.0.2.1\nhotadd.network.dns=192.0.2.53, 192.0.2.54\n"
                + "hotadd.network.hostname=proxy-01\nhotadd.appliance.root-password=Root pw!\n");
        assertEquals(0, run("--ovf-env", ovf.toString(), "--guestinfo", guestinfo.toString()));
        assertEquals("other@vsphere.local", load(dir.resolve("etc/agent.properties")).getProperty("hotadd.vcenter.user"));
        String unit = Files.readString(dir.resolve("network/" + Network.STATIC_FILE));
        assertTrue(unit.contains("Address=192.0.2.10/24\nGateway=192.0.2.1\nDNS=192.0.2.53\nDNS=192.0.2.54\n"), unit);
        assertEquals("proxy-01\n", Files.readString(dir.resolve("hostname")));
        assertEquals("root:Root pw!\n", Files.readString(dir.resolve("root-password")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("root-password"))));
        assertFalse(log.toString(StandardCharsets.UTF_8).contains("Root pw!"));

        Files.writeString(guestinfo, "hotadd.network.mode=dhcp\n");
        assertEquals(0, run("--ovf-env", ovf.toString(), "--guestinfo", guestinfo.toString()));
        assertFalse(Files.exists(dir.resolve("network/" + Network.STATIC_FILE)), "DHCP removes the static unit");
    }

    @Test
    void invalidValueKeepsTheOldFileAndExplainsWithoutTheSecret() throws IOException {
        Path agent = dir.resolve("etc/agent.properties");
        Files.createDirectories(agent.getParent());
        Files.writeString(agent, "old=1\n");
        Path guestinfo = dir.resolve("guestinfo.properties");
        Files.writeString(guestinfo, "hotadd.vcenter.url=http://plain.example\nhotadd.vcenter.password=a\\nb\n");
        assertEquals(2, run("--ovf-env", ovf.toString(), "--guestinfo", guestinfo.toString()));
        assertEquals("old=1\n", Files.readString(agent));
        String summary = Files.readString(dir.resolve("summary"));
        assertTrue(summary.contains("error=setting hotadd.vcenter.password is not valid"), summary);

        Files.writeString(guestinfo, "hotadd.vcenter.url=http://plain.example\n");
        assertEquals(2, run("--ovf-env", ovf.toString(), "--guestinfo", guestinfo.toString()));
        assertTrue(Files.readString(dir.resolve("summary")).contains("hotadd.vcenter.url 'http://plain.example'"));
    }

    @Test
    void shortApiTokenIsRefusedAtFirstBootWithItsLengthNotItsValue() throws IOException {
        Path guestinfo = dir.resolve("guestinfo.properties");
        Files.writeString(guestinfo, "hotadd.api.token=Tok-Secret-0815\n");
        assertEquals(2, run("--ovf-env", ovf.toString(), "--guestinfo", guestinfo.toString()));
        assertFalse(Files.exists(dir.resolve("etc/agent.properties")), "the agent would refuse this token at start");
        String summary = Files.readString(dir.resolve("summary"));
        assertTrue(summary.contains("error=setting hotadd.api.token is not valid: expected at least 16 characters, "
                + "it has 15"), summary);
        assertFalse(summary.contains("Tok-Secret-0815") || log.toString(StandardCharsets.UTF_8).contains("Tok-Secret"));
    }

    @Test
    void noSourceKeepsTheCurrentConfiguration() throws IOException {
        assertEquals(0, run("--ovf-env", dir.resolve("absent.xml").toString()));
        assertFalse(Files.exists(dir.resolve("etc/agent.properties")));
        assertTrue(Files.readString(dir.resolve("summary")).startsWith("source=none"));
    }

    @Test
    void netmaskForms() {
        assertEquals(24, Network.prefixLength("255.255.255.0").orElseThrow());
        assertEquals(22, Network.prefixLength("22").orElseThrow());
        assertTrue(Network.prefixLength("255.0.255.0").isEmpty());
        assertTrue(Network.prefixLength("33").isEmpty());
    }

    @Test
    void propertiesEscapingRoundTrips() throws IOException {
        String text = ApplianceConfig.propertiesText(java.util.Map.of("k", " lead=a:b\\c#d!é"), "t");
        assertEquals(" lead=a:b\\c#d!é", load(text).getProperty("k"));
    }

    private int run(String... args) {
        String[] all = new String[args.length + 10];
        System.arraycopy(args, 0, all, 0, args.length);
        String[] outputs = {"--agent-properties", dir.resolve("etc/agent.properties").toString(), "--network-dir",
            dir.resolve("network").toString(), "--hostname-file", dir.resolve("hostname").toString(),
            "--root-password-file", dir.resolve("root-password").toString(), "--summary",
            dir.resolve("summary").toString()};
        System.arraycopy(outputs, 0, all, args.length, outputs.length);
        return new ApplianceConfig(new PrintStream(log, true, StandardCharsets.UTF_8)).run(Arguments.parse(all));
    }

    private static Properties load(Path file) throws IOException {
        return load(Files.readString(file));
    }

    private static Properties load(String text) throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(text));
        return p;
    }
}
