package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.LocalSystem;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmInventory;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the VM the agent runs in: the configured one, else the VM whose BIOS UUID is this machine's. Finding
 * it through this vCenter is also the proof that proxy and targets share one vCenter, which HotAdd needs.
 */
public final class ProxyIdentity {
    static final String ENABLE_UUID = "disk.EnableUUID";

    private final VmInventory inventory;
    private final LocalSystem local;
    private final Optional<VmSelector> configured;
    private volatile VmRef found;

    public ProxyIdentity(VmInventory inventory, LocalSystem local, Optional<VmSelector> configured) {
        this.inventory = inventory;
        this.local = local;
        this.configured = configured;
    }

    /**
     * The proxy VM as it is now, checked for disk.EnableUUID=TRUE. Once found, it is read by its moref (one
     * round trip instead of a search per job); searched again only if that moref is gone (re-registered).
     */
    public VmInfo resolve() {
        VmRef known = found;
        VmInfo proxy = Optional.ofNullable(known).flatMap(inventory::read).orElseGet(this::search);
        found = proxy.ref();
        if (!"TRUE".equalsIgnoreCase(proxy.extraConfig().getOrDefault(ENABLE_UUID, ""))) {
            throw new ProxySetupException("Proxy VM '" + proxy.name() + "' (" + proxy.ref() + ") does not have "
                    + ENABLE_UUID + "=TRUE, so Linux cannot see the UUIDs of hot-added disks. Power the proxy VM off, "
                    + "add the advanced setting " + ENABLE_UUID + " = TRUE (Edit Settings > VM Options > Advanced > "
                    + "Configuration Parameters), and power it on again.");
        }
        return proxy;
    }

    private VmInfo search() {
        return configured.map(inventory::find).orElseGet(this::byBiosUuid);
    }

    private VmInfo byBiosUuid() {
        String uuid = local.biosUuid().orElseThrow(() -> new ProxySetupException("Cannot tell which VM this proxy "
                + "is: the BIOS UUID (/sys/class/dmi/id/product_uuid) is unreadable and no proxy VM is configured. "
                + "Set hotadd.proxy.vm to the proxy VM's moref or name."));
        for (String candidate : candidates(uuid)) {
            try {
                return inventory.find(new VmSelector.ByBiosUuid(candidate));
            } catch (VSphereException.NotFound notThisForm) {
                // try the other byte order
            }
        }
        throw new ProxySetupException("This machine (BIOS UUID " + uuid + ") is not a VM managed by the configured "
                + "vCenter. HotAdd needs the proxy VM and the VMs it backs up in the same vCenter: point the agent at "
                + "the vCenter that manages this VM, or set hotadd.proxy.vm.");
    }

    /**
     * The UUID as Linux shows it, and with the first three fields byte-swapped: depending on the SMBIOS
     * version of the virtual hardware, Linux and vSphere disagree on their byte order.
     */
    static List<String> candidates(String uuid) {
        String u = uuid.trim().toLowerCase(Locale.ROOT);
        if (!u.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            return List.of(u);
        }
        String swapped = swap(u.substring(0, 8)) + "-" + swap(u.substring(9, 13)) + "-" + swap(u.substring(14, 18))
                + u.substring(18);
        return List.of(u, swapped);
    }

    private static String swap(String hex) {
        StringBuilder out = new StringBuilder();
        for (int i = hex.length() - 2; i >= 0; i -= 2) {
            out.append(hex, i, i + 2);
        }
        return out.toString();
    }
}
