package io.hotadd.agent.boot.appliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The appliance's first-boot configuration step (appliance/rootfs/usr/libexec/hotadd-agent/hotadd-firstboot
 * runs it at every boot, before the network and the agent, on the agent's JRE). The script fetches the
 * inputs; this class validates them and writes the outputs:
 *
 * <ul>
 *   <li>inputs: the OVF environment XML (guestinfo.ovfEnv or ovf-env.xml from the CD), then plain
 *       {@code guestinfo.hotadd.*} values, which win, so an admin can change one value without vCenter;</li>
 *   <li>outputs: the agent's properties file (0600, written whole and renamed into place), the static
 *       network unit (or its removal for DHCP), the host name, the root password request, and a summary
 *       without secrets for the console banner.</li>
 * </ul>
 *
 * Secrets never reach stdout, which the journal records: they are shown as "(set)".
 */
public final class ApplianceConfig {

    /**
     * Always in agent.properties: the appliance runs the agent unprivileged, behind the root helper, and a
     * freshly deployed appliance has no repository yet, so the agent creates it at the configured path on
     * its first start (an existing repository is opened, never overwritten).
     */
    static final Map<String, String> FIXED = Map.of("hotadd.blockdev.helper-socket", "/run/hotadd-helper.sock",
            "hotadd.repository.init-if-missing", "true");
    static final String VM_MOREF_KEY = "hotadd.proxy.vm-moref";

    private final PrintStream out;

    ApplianceConfig(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        try {
            System.exit(new ApplianceConfig(System.out).run(Arguments.parse(args)));
        } catch (ApplianceConfigException | IllegalArgumentException e) {
            System.err.println("hotadd-firstboot: " + e.getMessage());
            System.exit(2);
        }
    }

    /** @return the exit code: 0 applied or nothing to apply, 2 invalid settings (nothing written but the summary) */
    int run(Arguments args) {
        if (args.listGuestinfoKeys()) {
            for (Setting s : Setting.values()) {
                out.println(s.key());
            }
            return 0;
        }
        Optional<OvfEnvironment> ovf = args.ovfEnv().filter(Files::isRegularFile).map(p -> readOvf(p, args));
        Properties guestinfo = args.guestinfo().filter(Files::isRegularFile).map(ApplianceConfig::readProperties)
                .orElseGet(Properties::new);
        List<String> sources = new ArrayList<>();
        ovf.ifPresent(o -> sources.add("OVF environment (" + args.ovfSource() + ")"));
        if (!guestinfo.isEmpty()) {
            sources.add("guestinfo.hotadd.*");
        }
        if (sources.isEmpty()) {
            out.println("no OVF environment and no guestinfo.hotadd.* values: keeping the current configuration");
            writeSummary(args, List.of("source=none (no OVF environment, no guestinfo.hotadd.*)"));
            return 0;
        }
        try {
            Map<Setting, String> values = collect(ovf, guestinfo);
            apply(args, values, ovf.flatMap(OvfEnvironment::vcenterId), String.join(" + ", sources));
            return 0;
        } catch (ApplianceConfigException e) {
            out.println("configuration NOT applied: " + e.getMessage());
            writeSummary(args, List.of("source=" + String.join(" + ", sources), "error=" + e.getMessage()));
            return 2;
        }
    }

    private Map<Setting, String> collect(Optional<OvfEnvironment> ovf, Properties guestinfo) {
        Map<Setting, String> values = new EnumMap<>(Setting.class);
        ovf.ifPresent(o -> o.properties().forEach((k, v) -> take(values, k, v, "OVF environment")));
        for (String key : new TreeMap<>(guestinfo).keySet().stream().map(Object::toString).toList()) {
            take(values, key, guestinfo.getProperty(key), "guestinfo");
        }
        return values;
    }

    /** Known keys with a value are validated; empty means "not set" (vCenter sends every property). */
    private void take(Map<Setting, String> values, String key, String value, String source) {
        Optional<Setting> setting = Setting.byKey(key);
        if (setting.isEmpty()) {
            out.println("ignoring unknown setting " + key + " from the " + source);
            return;
        }
        if (value == null || value.isBlank()) {
            values.remove(setting.get());
            return;
        }
        values.put(setting.get(), setting.get().validate(value));
    }

    private void apply(Arguments args, Map<Setting, String> values, Optional<String> moref, String source) {
        Optional<String> network = Network.staticUnit(values);
        Map<String, String> agent = new TreeMap<>(FIXED);
        values.forEach((s, v) -> {
            if (s.target() == Setting.Target.AGENT) {
                agent.put(s.key(), v);
            }
        });
        moref.ifPresent(id -> agent.put(VM_MOREF_KEY, id));
        writePrivate(args.agentProperties(), propertiesText(agent, source));
        args.networkDir().ifPresent(dir -> writeNetwork(dir.resolve(Network.STATIC_FILE), network));
        Optional.ofNullable(values.get(Setting.HOSTNAME)).ifPresent(host -> args.hostnameFile()
                .ifPresent(file -> writePublic(file, host + "\n")));
        Optional.ofNullable(values.get(Setting.ROOT_PASSWORD)).ifPresent(pw -> args.rootPasswordFile()
                .ifPresent(file -> writePrivate(file, "root:" + pw + "\n")));

        List<String> summary = new ArrayList<>(List.of("source=" + source));
        values.forEach((s, v) -> summary.add(s.key() + "=" + s.display(v)));
        moref.ifPresent(id -> summary.add(VM_MOREF_KEY + "=" + id));
        summary.add("network=" + (network.isPresent() ? "static" : "dhcp"));
        writeSummary(args, summary);
        out.println("applied from " + source + ": " + String.join(", ", summary.subList(1, summary.size())));
    }

    private void writeSummary(Arguments args, List<String> lines) {
        args.summary().ifPresent(file -> writePublic(file, String.join("\n", lines) + "\n"));
    }

    private static void writeNetwork(Path file, Optional<String> unit) {
        if (unit.isPresent()) {
            writePublic(file, unit.get());
        } else {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new ApplianceConfigException("cannot remove " + file + " to switch to DHCP: " + e);
            }
        }
    }

    /** Java properties text, keys sorted, escaped by the JDK so any value reads back as written. */
    static String propertiesText(Map<String, String> values, String source) {
        StringBuilder text = new StringBuilder("# Written by hotadd-firstboot from " + source + ".\n"
                + "# Rewritten at every boot: change the VM's vApp options or guestinfo.hotadd.* instead.\n");
        values.forEach((k, v) -> {
            Properties one = new Properties();
            one.setProperty(k, v);
            java.io.StringWriter line = new java.io.StringWriter();
            try {
                one.store(line, null);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // store() starts with a date comment; keep only the key=value line
            line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.append(l).append('\n'));
        });
        return text.toString();
    }

    private OvfEnvironment readOvf(Path file, Arguments args) {
        try (InputStream in = Files.newInputStream(file)) {
            return OvfEnvironment.parse(in, args.ovfSource());
        } catch (IOException e) {
            throw new ApplianceConfigException("cannot read the OVF environment " + file + ": " + e);
        }
    }

    private static Properties readProperties(Path file) {
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
            return p;
        } catch (IOException e) {
            throw new ApplianceConfigException("cannot read the guestinfo values " + file + ": " + e);
        }
    }

    /** Mode 0600 from creation on (never briefly readable), then renamed over the old file. */
    static void writePrivate(Path file, String text) {
        write(file, text, "rw-------");
    }

    static void writePublic(Path file, String text) {
        write(file, text, "rw-r--r--");
    }

    private static void write(Path file, String text, String mode) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
            try {
                Files.writeString(temp, text, StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new ApplianceConfigException("cannot write " + file + ": " + e);
        }
    }
}
