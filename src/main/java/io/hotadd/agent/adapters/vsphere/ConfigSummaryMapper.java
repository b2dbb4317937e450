package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VAppPropertyInfo;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceDeviceBackingInfo;
import com.vmware.vim25.VirtualEthernetCard;
import com.vmware.vim25.VirtualEthernetCardDistributedVirtualPortBackingInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.port.VmConfigSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A captured {@code VirtualMachineConfigInfo} to the {@link VmConfigSummary} the engine plans restores with.
 * Pure: no I/O. Reads nothing secret into the summary: of the encryption bundle only its presence, of vApp
 * properties only their ids.
 */
final class ConfigSummaryMapper {
    static final String ENCRYPTION_BUNDLE = "encryption.bundle";

    private ConfigSummaryMapper() {
    }

    /** @param networkNames names of the VM's networks by moref or port group key (a DVS port names only the key) */
    static VmConfigSummary map(VmConfigTypes.VirtualMachineConfigInfo info, Map<String, String> networkNames) {
        List<VirtualDevice> devices = info.hardware == null || info.hardware.device == null ? List.of()
                : List.of(info.hardware.device);
        String vmx = info.files == null ? null : info.files.vmPathName;
        return new VmConfigSummary(InventoryNames.decode(info.name), info.guestId, info.version,
                info.firmware == null ? "bios" : info.firmware, info.hardware == null ? 0 : info.hardware.numCPU,
                info.hardware == null || info.hardware.numCoresPerSocket == null ? 1 : info.hardware.numCoresPerSocket,
                info.hardware == null ? 0 : info.hardware.memoryMB, vmx, nvramPath(vmx, info.extraConfig),
                Boolean.TRUE.equals(info.changeTrackingEnabled), controllers(devices), disks(devices),
                nics(devices, networkNames), keyId(info.keyId), has(info.extraConfig, ENCRYPTION_BUNDLE),
                devices.stream().anyMatch(d -> d instanceof VirtualTPM), vAppPropertyIds(info));
    }

    private static List<VmConfigSummary.Controller> controllers(List<VirtualDevice> devices) {
        return VirtualDeviceMapper.controllers(devices).stream()
                .map(c -> new VmConfigSummary.Controller(c.key(), c.type(), c.busNumber())).toList();
    }

    private static List<VmConfigSummary.Disk> disks(List<VirtualDevice> devices) {
        List<VmConfigSummary.Disk> disks = new ArrayList<>();
        for (DiskInfo d : VirtualDeviceMapper.disks(devices)) {
            disks.add(new VmConfigSummary.Disk(d.key(), d.label(), d.capacityBytes(), d.provisioning(), d.mode(),
                    d.backing(), d.controllerKey(), d.unitNumber(), d.fileName(), d.encrypted()));
        }
        return disks;
    }

    private static List<VmConfigSummary.Nic> nics(List<VirtualDevice> devices, Map<String, String> networkNames) {
        List<VmConfigSummary.Nic> nics = new ArrayList<>();
        for (VirtualDevice device : devices) {
            if (device instanceof VirtualEthernetCard nic) {
                String label = nic.deviceInfo != null && nic.deviceInfo.label != null ? nic.deviceInfo.label
                        : "network adapter " + nic.key;
                nics.add(new VmConfigSummary.Nic(nic.key, label, nic.getClass().getSimpleName(),
                        network(nic, networkNames), nic.macAddress,
                        nic.connectable == null || nic.connectable.startConnected));
            }
        }
        return nics;
    }

    /** A standard network's name is in the backing; a distributed port names only its port group's key. */
    static String network(VirtualEthernetCard nic, Map<String, String> networkNames) {
        if (nic.backing instanceof VirtualEthernetCardDistributedVirtualPortBackingInfo dvs && dvs.port != null) {
            return networkNames.getOrDefault(dvs.port.portgroupKey, dvs.port.portgroupKey);
        }
        if (nic.backing instanceof VirtualDeviceDeviceBackingInfo named && named.deviceName != null) {
            return named.deviceName;
        }
        return "";
    }

    /**
     * Where the VM's NVRAM is: the {@code nvram} extraConfig entry (a name in the VM's folder, or a whole
     * datastore path), else vSphere's default, the configuration file's name with {@code .nvram}.
     */
    static String nvramPath(String vmPathName, OptionValue[] extraConfig) {
        if (vmPathName == null) {
            return null;
        }
        String folder = vmPathName.substring(0, vmPathName.lastIndexOf('/') + 1);
        Optional<String> configured = value(extraConfig, "nvram");
        if (configured.isPresent()) {
            return configured.get().startsWith("[") ? configured.get() : folder + configured.get();
        }
        String base = vmPathName.endsWith(".vmx") ? vmPathName.substring(0, vmPathName.length() - 4) : vmPathName;
        return base + ".nvram";
    }

    private static Optional<VmConfigSummary.KeyId> keyId(CryptoKeyId key) {
        if (key == null || key.keyId == null) {
            return Optional.empty();
        }
        return Optional.of(new VmConfigSummary.KeyId(key.keyId, key.providerId == null ? null : key.providerId.id));
    }

    private static List<String> vAppPropertyIds(VmConfigTypes.VirtualMachineConfigInfo info) {
        if (info.vAppConfig == null || info.vAppConfig.property == null) {
            return List.of();
        }
        return List.of(info.vAppConfig.property).stream().map((VAppPropertyInfo p) -> p.id).toList();
    }

    static boolean has(OptionValue[] extraConfig, String key) {
        return value(extraConfig, key).isPresent();
    }

    /** The VMX treats keys case-insensitively. */
    static Optional<String> value(OptionValue[] extraConfig, String key) {
        if (extraConfig == null) {
            return Optional.empty();
        }
        for (OptionValue o : extraConfig) {
            if (o.key != null && o.value != null && o.key.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                return Optional.of(o.value.toString());
            }
        }
        return Optional.empty();
    }
}
