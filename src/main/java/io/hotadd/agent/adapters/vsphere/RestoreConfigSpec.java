package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ArrayUpdateOperation;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VAppOvfSectionInfo;
import com.vmware.vim25.VAppOvfSectionSpec;
import com.vmware.vim25.VAppProductInfo;
import com.vmware.vim25.VAppProductSpec;
import com.vmware.vim25.VAppPropertyInfo;
import com.vmware.vim25.VAppPropertySpec;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualMachineFileInfo;
import com.vmware.vim25.VmConfigInfo;
import com.vmware.vim25.VmConfigSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The ConfigSpec of a restored VM, from the captured {@code VirtualMachineConfigInfo}. Replayed: guest OS,
 * hardware version, CPUs and memory with hot-plug settings, resource allocations, latency sensitivity, tools
 * and power-op settings, flags, boot options (without the boot order, which names the source's device keys;
 * EFI keeps its boot entries in the NVRAM), firmware, nested HV and vPMC, the annotation, vApp products,
 * properties and OVF sections, and the extraConfig (the {@code encryption.bundle} included) minus entries the
 * host derives from the devices or its own state. An encrypted VM gets its {@code keyId} back
 * ({@code CryptoSpecEncrypt}) and the storage policy. Change tracking starts off. Pure: no I/O.
 */
final class RestoreConfigSpec {

    /** extraConfig the host writes itself: device slots and state, CBT, swap, migration and tools bookkeeping. */
    private static final Pattern HOST_MANAGED = Pattern.compile("(?i)^(nvram|ctkenabled|(scsi|sata|nvme|ide|ethernet|"
            + "sound|usb|ehci|pcibridge|floppy|serial|parallel)\\d.*|migrate\\..*|sched\\.swap\\.derivedname|vmotion\\..*"
            + "|monitor\\.phys_bits_used|softpoweroff|toolsinstallmanager\\..*|vmware\\.tools\\.(internalversion|"
            + "requiredversion)|checkpoint\\..*|numa\\.autosize\\..*|svga\\.guestbackedprimaryaware|hotadd\\..*)$");

    private RestoreConfigSpec() {
    }

    static VmConfigTypes.VirtualMachineConfigSpec of(VmConfigTypes.VirtualMachineConfigInfo info, String name,
                                                     String datastoreName, List<VirtualDeviceConfigSpec> devices,
                                                     Map<String, String> markers, Optional<String> storagePolicyId) {
        VmConfigTypes.VirtualMachineConfigSpec spec = new VmConfigTypes.VirtualMachineConfigSpec();
        spec.name = name;
        spec.version = info.version;
        spec.guestId = info.guestId;
        spec.alternateGuestName = info.alternateGuestName;
        spec.annotation = info.annotation;
        spec.files = new VirtualMachineFileInfo();
        spec.files.vmPathName = "[" + datastoreName + "]";
        hardware(info, spec);
        behaviour(info, spec);
        spec.deviceChange = devices.toArray(VirtualDeviceConfigSpec[]::new);
        spec.extraConfig = extraConfig(info.extraConfig, markers);
        spec.vAppConfig = vApp(info.vAppConfig);
        spec.changeTrackingEnabled = false;
        spec.vmProfile = RestoreDeviceSpecs.profile(storagePolicyId).orElse(null);
        if (info.keyId != null) {
            CryptoSpecEncrypt encrypt = new CryptoSpecEncrypt();
            encrypt.cryptoKeyId = info.keyId;
            spec.crypto = encrypt;
        }
        return spec;
    }

    private static void hardware(VmConfigTypes.VirtualMachineConfigInfo info, VmConfigTypes.VirtualMachineConfigSpec spec) {
        if (info.hardware != null) {
            spec.numCPUs = info.hardware.numCPU;
            spec.numCoresPerSocket = info.hardware.numCoresPerSocket;
            spec.memoryMB = (long) info.hardware.memoryMB;
            spec.virtualICH7MPresent = info.hardware.virtualICH7MPresent;
            spec.virtualSMCPresent = info.hardware.virtualSMCPresent;
        }
        spec.memoryHotAddEnabled = info.memoryHotAddEnabled;
        spec.cpuHotAddEnabled = info.cpuHotAddEnabled;
        spec.cpuHotRemoveEnabled = info.cpuHotRemoveEnabled;
        spec.cpuAllocation = info.cpuAllocation;
        spec.memoryAllocation = info.memoryAllocation;
        if (spec.cpuAllocation != null) {
            spec.cpuAllocation.overheadLimit = null; // computed by the host
        }
        if (spec.memoryAllocation != null) {
            spec.memoryAllocation.overheadLimit = null;
        }
        spec.latencySensitivity = info.latencySensitivity;
        spec.memoryReservationLockedToMax = info.memoryReservationLockedToMax;
        spec.nestedHVEnabled = info.nestedHVEnabled;
        spec.vPMCEnabled = info.vPMCEnabled;
        spec.firmware = info.firmware;
    }

    private static void behaviour(VmConfigTypes.VirtualMachineConfigInfo info,
                                  VmConfigTypes.VirtualMachineConfigSpec spec) {
        spec.tools = info.tools;
        if (spec.tools != null) {
            spec.tools.toolsVersion = null; // what the guest reports, not a setting
            spec.tools.lastInstallInfo = null;
        }
        spec.flags = info.flags;
        spec.consolePreferences = info.consolePreferences;
        spec.powerOpInfo = info.defaultPowerOps;
        spec.bootOptions = info.bootOptions;
        if (spec.bootOptions != null) {
            spec.bootOptions.bootOrder = null;
        }
        spec.swapPlacement = info.swapPlacement;
        spec.maxMksConnections = info.maxMksConnections;
        spec.guestAutoLockEnabled = info.guestAutoLockEnabled;
        spec.messageBusTunnelEnabled = info.messageBusTunnelEnabled;
    }

    /** The captured entries minus what the host manages, plus the job's markers, sorted by key. */
    static OptionValue[] extraConfig(OptionValue[] captured, Map<String, String> markers) {
        Map<String, Object> kept = new TreeMap<>();
        if (captured != null) {
            for (OptionValue o : captured) {
                if (o.key != null && o.value != null && !HOST_MANAGED.matcher(o.key).matches()) {
                    kept.put(o.key, o.value);
                }
            }
        }
        kept.putAll(markers);
        List<OptionValue> options = new ArrayList<>();
        kept.forEach((key, value) -> {
            OptionValue o = new OptionValue();
            o.key = key;
            o.value = value;
            options.add(o);
        });
        return options.toArray(OptionValue[]::new);
    }

    /** Whether the host writes this extraConfig key itself (so a restore does not replay it). */
    static boolean isHostManaged(String key) {
        return HOST_MANAGED.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    private static VmConfigSpec vApp(VmConfigInfo info) {
        if (info == null) {
            return null;
        }
        VmConfigSpec spec = new VmConfigSpec();
        spec.product = info.product == null ? null : List.of(info.product).stream()
                .map(RestoreConfigSpec::addProduct).toArray(VAppProductSpec[]::new);
        spec.property = info.property == null ? null : List.of(info.property).stream()
                .map(RestoreConfigSpec::addProperty).toArray(VAppPropertySpec[]::new);
        spec.ovfSection = info.ovfSection == null ? null : List.of(info.ovfSection).stream()
                .map(RestoreConfigSpec::addSection).toArray(VAppOvfSectionSpec[]::new);
        spec.ipAssignment = info.ipAssignment;
        spec.eula = info.eula;
        spec.ovfEnvironmentTransport = info.ovfEnvironmentTransport;
        spec.installBootRequired = info.installBootRequired;
        spec.installBootStopDelay = info.installBootStopDelay;
        return spec;
    }

    private static VAppProductSpec addProduct(VAppProductInfo info) {
        VAppProductSpec spec = new VAppProductSpec();
        spec.operation = ArrayUpdateOperation.add;
        spec.info = info;
        return spec;
    }

    private static VAppPropertySpec addProperty(VAppPropertyInfo info) {
        VAppPropertySpec spec = new VAppPropertySpec();
        spec.operation = ArrayUpdateOperation.add;
        spec.info = info;
        return spec;
    }

    private static VAppOvfSectionSpec addSection(VAppOvfSectionInfo info) {
        VAppOvfSectionSpec spec = new VAppOvfSectionSpec();
        spec.operation = ArrayUpdateOperation.add;
        spec.info = info;
        return spec;
    }
}
