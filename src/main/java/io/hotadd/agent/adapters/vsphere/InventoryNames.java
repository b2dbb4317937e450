package io.hotadd.agent.adapters.vsphere;

import java.util.Locale;

/**
 * vCenter stores inventory names with three characters escaped: {@code %} as {@code %25}, {@code /} as
 * {@code %2f} and {@code \} as {@code %5c}. The agent shows and compares names as people typed them.
 */
final class InventoryNames {

    private InventoryNames() {
    }

    /** The name as typed, from the name property (one pass, so {@code %252f} stays {@code %2f}). */
    static String decode(String stored) {
        if (stored == null || stored.indexOf('%') < 0) {
            return stored;
        }
        StringBuilder name = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            String code = c == '%' && i + 3 <= stored.length()
                    ? stored.substring(i + 1, i + 3).toLowerCase(Locale.ROOT) : "";
            switch (code) {
                case "25" -> name.append('%');
                case "2f" -> name.append('/');
                case "5c" -> name.append('\\');
                default -> {
                    name.append(c);
                    continue;
                }
            }
            i += 2;
        }
        return name.toString();
    }
}
