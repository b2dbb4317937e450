package io.hotadd.agent.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VmConfigSummary;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The VM configuration blob of a restore point (docs/restore.md, "The VM configuration document"): one JSON
 * document holding vCenter's own XML of the snapshot's {@code config} property verbatim, the summary the
 * engine plans restores with, where the VM was, and its NVRAM. JSON with sorted keys, so the same capture is
 * always the same bytes (golden file); unknown fields are ignored, so a newer agent may add optional ones
 * without a new version.
 *
 * <p>Holds secrets (the encryption bundle inside the XML, the NVRAM); {@link #toString()} shows neither.
 *
 * @param format     always {@link #FORMAT}, so a stray blob is recognised as not being one
 * @param version    {@link #VERSION}; a reader refuses a newer one
 * @param source     the VM as it was when captured: identity and placement (the defaults of a restore)
 * @param nvram      the NVRAM file as downloaded, absent when the VM had none or it could not be read
 * @param notes      what the capture could not do (e.g. why the NVRAM is missing), for restore-time warnings
 */
public record VmConfigDocument(String format, int version, Instant capturedAt, Source source,
                               VmConfigSummary summary, String vimConfigXml, Optional<Nvram> nvram,
                               List<String> notes) {

    public static final String FORMAT = "hotadd-vm-config";
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new Jdk8Module())
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public VmConfigDocument {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(vimConfigXml, "vimConfigXml");
        nvram = nvram == null ? Optional.empty() : nvram;
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /**
     * Where the VM was when it was captured, as morefs of the vCenter it was backed up from.
     *
     * @param datacenter inventory path of its datacenter (what the file service's dcPath wants)
     * @param snapshot   the snapshot whose configuration this is
     */
    public record Source(String vm, String name, String instanceUuid, String datacenter, String folder,
                         String resourcePool, String host, List<String> datastores, String snapshot) {
        public Source {
            datastores = datastores == null ? List.of() : List.copyOf(datastores);
        }
    }

    /** The NVRAM file's bytes (base64 in the JSON) and the datastore path they came from. */
    public record Nvram(String path, byte[] content) {
        public Nvram {
            Objects.requireNonNull(path, "path");
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        @Override
        public String toString() {
            return "Nvram[" + path + ", " + content.length + " bytes]";
        }
    }

    public static VmConfigDocument of(Instant capturedAt, Source source, CapturedConfig config,
                                      Optional<Nvram> nvram, List<String> notes) {
        return new VmConfigDocument(FORMAT, VERSION, capturedAt, source, config.summary(), config.vimConfigXml(),
                nvram, notes);
    }

    /** The configuration as the vSphere port takes it back (for CreateVM). */
    public CapturedConfig captured() {
        return new CapturedConfig(vimConfigXml, summary);
    }

    public byte[] toBytes() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise the VM configuration of " + source.name(), e);
        }
    }

    /**
     * Reads a blob written by {@link #toBytes()} (this version or an older one).
     *
     * @throws UnreadableVmConfig naming the restore point when the blob is not such a document, or newer
     */
    public static VmConfigDocument fromBytes(byte[] blob, String restorePointId) {
        JsonNode tree;
        try {
            tree = JSON.readTree(blob);
        } catch (IOException e) {
            throw unreadable(restorePointId, "it is not JSON (" + e.getMessage() + ")", e);
        }
        String format = tree == null ? null : tree.path("format").asText(null);
        int version = tree == null ? 0 : tree.path("version").asInt(0);
        if (!FORMAT.equals(format) || version < 1) {
            throw unreadable(restorePointId, "it is not a '" + FORMAT + "' document (format '" + format + "')", null);
        }
        if (version > VERSION) {
            throw new UnreadableVmConfig("Restore point " + restorePointId + " holds a VM configuration of format"
                    + " version " + version + ", newer than this agent reads (" + VERSION + "). Upgrade the agent to"
                    + " restore it as a new VM.", null);
        }
        try {
            return JSON.treeToValue(tree, VmConfigDocument.class);
        } catch (IOException | RuntimeException e) {
            throw unreadable(restorePointId, "it is incomplete (" + e.getMessage() + ")", e);
        }
    }

    private static UnreadableVmConfig unreadable(String restorePointId, String why, Exception cause) {
        return new UnreadableVmConfig("The VM configuration stored with restore point " + restorePointId + " cannot"
                + " be read: " + why + ". Restore its disks into an existing VM or to an image instead.", cause);
    }

    /** Summary and placement only: the XML holds the encryption bundle, and the NVRAM is the VM's secrets. */
    @Override
    public String toString() {
        return "VmConfigDocument[" + FORMAT + " v" + version + ", " + source.name() + " (" + source.vm() + "), "
                + summary.disks().size() + " disks, nvram " + nvram.map(Nvram::toString).orElse("none") + "]";
    }
}
