package io.hotadd.agent.boot.appliance;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One deploy-time setting of the appliance. Its key is the same everywhere: the OVF property
 * ({@code ovf:key}), the plain VM advanced setting ({@code guestinfo.<key>}) and, for settings the agent
 * reads, the key in /etc/hotadd-agent/agent.properties. ova-build/lib/ovf.sh declares the same keys.
 */
public enum Setting {
    VCENTER_URL("hotadd.vcenter.url", Target.AGENT, false, Setting::httpsUrl),
    VCENTER_THUMBPRINT("hotadd.vcenter.thumbprint", Target.AGENT, false, Setting::thumbprint),
    VCENTER_USER("hotadd.vcenter.user", Target.AGENT, false, Setting::oneLine),
    VCENTER_PASSWORD("hotadd.vcenter.password", Target.AGENT, true, Setting::oneLine),
    API_TOKEN("hotadd.api.token", Target.AGENT, true, Setting::apiToken),
    REPOSITORY_PATH("hotadd.repository.path", Target.AGENT, false, Setting::absolutePath),
    REPOSITORY_PASSPHRASE("hotadd.repository.passphrase", Target.AGENT, true, Setting::oneLine),
    NETWORK_MODE("hotadd.network.mode", Target.NETWORK, false, v -> oneOf(v, "dhcp", "static")),
    NETWORK_ADDRESS("hotadd.network.address", Target.NETWORK, false, Setting::ipv4),
    NETWORK_NETMASK("hotadd.network.netmask", Target.NETWORK, false, Setting::netmask),
    NETWORK_GATEWAY("hotadd.network.gateway", Target.NETWORK, false, Setting::ipv4),
    NETWORK_DNS("hotadd.network.dns", Target.NETWORK, false, Setting::ipv4List),
    HOSTNAME("hotadd.network.hostname", Target.NETWORK, false, Setting::hostname),
    ROOT_PASSWORD("hotadd.appliance.root-password", Target.ROOT_PASSWORD, true, Setting::oneLine);

    /** Where a setting goes. */
    public enum Target { AGENT, NETWORK, ROOT_PASSWORD }

    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern HOSTNAME_PATTERN = Pattern.compile(
            "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    /** The shortest API token the agent accepts: checked at first boot (here) and at every start (ConfigValidation). */
    public static final int MIN_TOKEN_LENGTH = 16;

    private final String key;
    private final Target target;
    private final boolean secret;
    private final Check check;

    Setting(String key, Target target, boolean secret, Check check) {
        this.key = key;
        this.target = target;
        this.secret = secret;
        this.check = check;
    }

    public String key() {
        return key;
    }

    public Target target() {
        return target;
    }

    /** Secrets are written where they belong and never printed: logs say "(set)". */
    public boolean secret() {
        return secret;
    }

    public static Optional<Setting> byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The value in its normalised form, or an exception naming the key and the expected format. */
    public String validate(String value) {
        String problem = check.problem(value.trim());
        if (problem != null) {
            String shown = secret ? "" : " '" + value + "'";
            throw new ApplianceConfigException("setting " + key + shown + " is not valid: " + problem
                    + ". Change it in the VM's vApp options (or guestinfo." + key + ") and restart the appliance");
        }
        return value.trim();
    }

    /** How the value is shown in logs and on the console. */
    public String display(String value) {
        return secret ? "(set)" : value;
    }

    @FunctionalInterface
    private interface Check {
        /** @return null when fine, else what is wrong */
        String problem(String value);
    }

    private static String oneLine(String v) {
        return v.chars().anyMatch(c -> c < 0x20 || c == 0x7f) ? "it contains a line break or control character"
                : null;
    }

    /** The agent refuses a shorter token at start; refusing it here says so on the console at first boot. */
    private static String apiToken(String v) {
        return v.length() < MIN_TOKEN_LENGTH ? "expected at least " + MIN_TOKEN_LENGTH + " characters, it has "
                + v.length() : oneLine(v);
    }

    private static String httpsUrl(String v) {
        try {
            URI uri = new URI(v);
            if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                return "expected https://<vcenter-host>[/sdk]";
            }
            return null;
        } catch (URISyntaxException e) {
            return "not a URL (" + e.getReason() + ")";
        }
    }

    private static String thumbprint(String v) {
        String hex = v.replaceFirst("(?i)^sha-?(1|256)[:= ]*", "").replace(":", "").replace(" ", "");
        return hex.matches("(?i)[0-9a-f]{40}|[0-9a-f]{64}") ? null
                : "expected the certificate's SHA-1 or SHA-256 fingerprint in hex, e.g. AB:CD:...";
    }

    private static String absolutePath(String v) {
        return v.startsWith("/") && !v.contains("..") && oneLine(v) == null ? null
                : "expected an absolute path without '..'";
    }

    private static String oneOf(String v, String... allowed) {
        return List.of(allowed).contains(v.toLowerCase(Locale.ROOT)) ? null : "expected one of " + List.of(allowed);
    }

    private static String ipv4(String v) {
        return IPV4.matcher(v).matches() ? null : "expected an IPv4 address like 192.0.2.10";
    }

    private static String ipv4List(String v) {
        for (String part : v.split("[,\\s]+")) {
            if (!part.isEmpty() && ipv4(part) != null) {
                return "expected IPv4 addresses separated by commas, '" + part + "' is not one";
            }
        }
        return null;
    }

    private static String netmask(String v) {
        return Network.prefixLength(v).isPresent() ? null
                : "expected a netmask like 255.255.255.0 or a prefix length like 24";
    }

    private static String hostname(String v) {
        return HOSTNAME_PATTERN.matcher(v.toLowerCase(Locale.ROOT)).matches() ? null
                : "expected a DNS host name (letters, digits, '-', dots)";
    }
}
