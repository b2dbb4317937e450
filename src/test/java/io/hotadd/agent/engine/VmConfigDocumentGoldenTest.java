package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VmConfigSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The VM configuration document of a restore point (docs/restore.md), pinned by a golden file: a change to
 * its bytes is a format change. Regenerate with {@code -Dgolden.update=true} only together with a new
 * {@link VmConfigDocument#VERSION} (or for an optional field that older agents may ignore).
 */
class VmConfigDocumentGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/restore/vm-config-v1.json");

    static VmConfigDocument sample() {
        VmConfigSummary summary = new VmConfigSummary("db01", "rhel8_64Guest", "vmx-19", "efi", 4, 2, 16384,
                "[ds1] db01/db01.vmx", "[ds1] db01/db01.nvram", true,
                List.of(new VmConfigSummary.Controller(1000, ControllerType.PVSCSI, 0)),
                List.of(new VmConfigSummary.Disk(2000, "Hard disk 1", 53687091200L, Provisioning.THIN,
                                DiskMode.PERSISTENT, DiskBacking.FLAT, 1000, 0, "[ds1] db01/db01.vmdk", false),
                        new VmConfigSummary.Disk(2001, "Hard disk 2", 214748364800L, Provisioning.EAGER_ZEROED_THICK,
                                DiskMode.INDEPENDENT_PERSISTENT, DiskBacking.FLAT, 1000, 1, "[ds1] db01/db01_1.vmdk",
                                true)),
                List.of(new VmConfigSummary.Nic(4000, "Network adapter 1", "VirtualVmxnet3", "DB network",
                        "00:50:56:a9:3c:1e", true)),
                Optional.of(new VmConfigSummary.KeyId("8d3a6f2e-1c4b-4e7a-9b0d-5f3e2a1c6b7d", "kms-cluster-01")), true,
                true, List.of("hostname"));
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><config xmlns=\"urn:vim25\" xmlns:xsi=\"http://www.w3.org/"
                + "2001/XMLSchema-instance\" xsi:type=\"VirtualMachineConfigInfo\"><name>db01</name></config>";
        VmConfigDocument.Source source = new VmConfigDocument.Source("vm-1042", "db01",
                "5029b1c2-6e4d-1f3a-9b8c-0d1e2f3a4b5c", "emea/dc-paris", "group-v3", "resgroup-8", "host-21",
                List.of("datastore-1011"), "snapshot-1101");
        return VmConfigDocument.of(Instant.parse("2024-05-06T07:08:09Z"), source, new CapturedConfig(xml, summary),
                Optional.of(new VmConfigDocument.Nvram("[ds1] db01/db01.nvram", new byte[] {'N', 'V', 0, 1, 2})),
                List.of("an example note"));
    }

    @Test
    void theDocumentsBytesAreThePinnedFormat() throws Exception {
        byte[] bytes = sample().toBytes();
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN.getParent());
            Files.write(GOLDEN, bytes);
        }
        assertEquals(Files.readString(GOLDEN), new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void theGoldenFileReadsBackToTheSameDocument() throws Exception {
        VmConfigDocument expected = sample();
        VmConfigDocument read = VmConfigDocument.fromBytes(Files.readAllBytes(GOLDEN), "golden");
        assertEquals(expected.summary(), read.summary());
        assertEquals(expected.source(), read.source());
        assertEquals(expected.vimConfigXml(), read.vimConfigXml());
        assertEquals(expected.capturedAt(), read.capturedAt());
        assertEquals(expected.notes(), read.notes());
        assertArrayEquals(expected.nvram().orElseThrow().content(), read.nvram().orElseThrow().content());
    }

    @Test
    void fieldsANewerAgentAddedAreIgnoredAndNeitherXmlNorNvramShowInItsText() throws Exception {
        String withMore = Files.readString(GOLDEN).replaceFirst("\\{", "{\n  \"addedLater\" : {\"x\" : 1},");
        VmConfigDocument read = VmConfigDocument.fromBytes(withMore.getBytes(StandardCharsets.UTF_8), "newer");
        assertEquals(sample().summary(), read.summary());
        assertFalse(read.toString().contains("<config"), read.toString());
    }
}
