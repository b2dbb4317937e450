package io.hotadd.agent.boot.appliance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The appliance's network from its settings, as a systemd-networkd unit. DHCP (the default) needs no file:
 * the image ships /etc/systemd/network/90-hotadd-dhcp.network; a static address is a file that sorts
 * before it, for the same interfaces.
 */
final class Network {

    static final String STATIC_FILE = "10-hotadd-static.network";

    private Network() {
    }

    /** The static unit's text, or empty for DHCP. */
    static Optional<String> staticUnit(Map<Setting, String> values) {
        String mode = values.getOrDefault(Setting.NETWORK_MODE, "").toLowerCase(java.util.Locale.ROOT);
        boolean hasAddress = values.containsKey(Setting.NETWORK_ADDRESS);
        if (!mode.equals("static")) {
            if (hasAddress && mode.isEmpty()) {
                throw new ApplianceConfigException("setting " + Setting.NETWORK_ADDRESS.key() + " is given but "
                        + Setting.NETWORK_MODE.key() + " is not 'static'; set it to 'static' (or clear the address"
                        + " for DHCP)");
            }
            return Optional.empty();
        }
        for (Setting required : List.of(Setting.NETWORK_ADDRESS, Setting.NETWORK_NETMASK)) {
            if (!values.containsKey(required)) {
                throw new ApplianceConfigException(Setting.NETWORK_MODE.key() + " is 'static' but " + required.key()
                        + " is empty; give the address, the netmask and usually a gateway and DNS servers");
            }
        }
        int prefix = prefixLength(values.get(Setting.NETWORK_NETMASK)).orElseThrow();
        List<String> lines = new ArrayList<>(List.of("# Written by hotadd-firstboot from the appliance's settings.",
                "[Match]", "Type=ether", "Name=en* eth*", "", "[Network]", "DHCP=no", "LinkLocalAddressing=no",
                "Address=" + values.get(Setting.NETWORK_ADDRESS) + "/" + prefix));
        Optional.ofNullable(values.get(Setting.NETWORK_GATEWAY)).ifPresent(gw -> lines.add("Gateway=" + gw));
        Optional.ofNullable(values.get(Setting.NETWORK_DNS)).ifPresent(dns -> {
            for (String server : dns.split("[,\\s]+")) {
                if (!server.isEmpty()) {
                    lines.add("DNS=" + server);
                }
            }
        });
        return Optional.of(String.join("\n", lines) + "\n");
    }

    /** "24" or "255.255.255.0" as a prefix length; empty if neither (or a mask with holes). */
    static Optional<Integer> prefixLength(String netmask) {
        String v = netmask.trim();
        if (v.matches("\\d{1,2}")) {
            int n = Integer.parseInt(v);
            return n >= 1 && n <= 32 ? Optional.of(n) : Optional.empty();
        }
        String[] parts = v.split("\\.");
        if (parts.length != 4) {
            return Optional.empty();
        }
        long mask = 0;
        for (String part : parts) {
            if (!part.matches("\\d{1,3}") || Integer.parseInt(part) > 255) {
                return Optional.empty();
            }
            mask = (mask << 8) | Integer.parseInt(part);
        }
        int ones = Long.bitCount(mask);
        long expected = ones == 0 ? 0 : (0xffffffffL << (32 - ones)) & 0xffffffffL;
        return ones >= 1 && mask == expected ? Optional.of(ones) : Optional.empty();
    }
}
