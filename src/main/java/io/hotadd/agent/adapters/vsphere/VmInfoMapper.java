package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualMachinePowerState;
import com.vmware.vim25.VirtualMachineSnapshotInfo;
import com.vmware.vim25.VirtualMachineSnapshotTree;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.SnapshotInfo;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The properties of {@link VmProperties#PATHS} to a {@link VmInfo}. Pure: no I/O. */
final class VmInfoMapper {

    /** vSphere keys the agent reads, in their canonical spelling (the VMX treats keys case-insensitively). */
    private static final List<String> VSPHERE_KEYS = List.of("disk.EnableUUID", "encryption.bundle");

    private VmInfoMapper() {
    }

    static VmInfo map(ObjectProperties vm, String datacenter) {
        List<VirtualDevice> devices = vm.array("config.hardware.device", VirtualDevice.class);
        VirtualMachineSnapshotInfo snapshots = vm.get("snapshot", VirtualMachineSnapshotInfo.class);
        return new VmInfo(new VmRef(vm.moref()), InventoryNames.decode(vm.string("name")),
                vm.string("config.instanceUuid"), vm.string("config.uuid"), datacenter, moref(vm.mor("runtime.host")),
                moref(vm.mor("resourcePool")), moref(vm.mor("parent")), vm.string("config.files.vmPathName"),
                powerState(vm.get("runtime.powerState", VirtualMachinePowerState.class)), vm.flag("config.template"),
                vm.flag("config.changeTrackingEnabled"), hardwareVersion(vm.string("config.version")),
                vm.get("config.keyId", CryptoKeyId.class) != null, vm.flag("runtime.consolidationNeeded"),
                VirtualDeviceMapper.controllers(devices), VirtualDeviceMapper.disks(devices),
                snapshots == null ? List.of() : snapshotTrees(snapshots.rootSnapshotList),
                snapshots == null || snapshots.currentSnapshot == null ? null
                        : new SnapshotRef(snapshots.currentSnapshot.val),
                vm.array("disabledMethod", String.class),
                vm.array("datastore", ManagedObjectReference.class).stream().map(m -> m.val).toList(),
                extraConfig(vm.array("config.extraConfig", OptionValue.class)));
    }

    private static List<SnapshotInfo> snapshotTrees(VirtualMachineSnapshotTree[] trees) {
        List<SnapshotInfo> snapshots = new ArrayList<>();
        if (trees != null) {
            for (VirtualMachineSnapshotTree tree : trees) {
                Instant created = tree.createTime == null ? null : tree.createTime.toInstant();
                snapshots.add(new SnapshotInfo(new SnapshotRef(tree.snapshot.val), tree.name, tree.description,
                        created, tree.quiesced, snapshotTrees(tree.childSnapshotList)));
            }
        }
        return snapshots;
    }

    /** Only the keys the agent reads: a VM's extraConfig can hold hundreds of entries. */
    static Map<String, String> extraConfig(List<OptionValue> options) {
        Map<String, String> kept = new TreeMap<>();
        for (OptionValue option : options) {
            if (option.key == null || option.value == null) {
                continue;
            }
            if (option.key.startsWith(VmInfo.AGENT_KEY_PREFIX)) {
                kept.put(option.key, option.value.toString());
            }
            for (String key : VSPHERE_KEYS) {
                if (key.toLowerCase(Locale.ROOT).equals(option.key.toLowerCase(Locale.ROOT))) {
                    kept.put(key, option.value.toString());
                }
            }
        }
        return kept;
    }

    /** 19 for {@code vmx-19}; 0 when vCenter does not say. */
    static int hardwareVersion(String version) {
        if (version == null || !version.matches("vmx-\\d+")) {
            return 0;
        }
        return Integer.parseInt(version.substring("vmx-".length()));
    }

    private static PowerState powerState(VirtualMachinePowerState state) {
        if (state == null) {
            return PowerState.POWERED_OFF; // an inaccessible VM reports none; it certainly is not running here
        }
        return switch (state) {
            case poweredOn -> PowerState.POWERED_ON;
            case suspended -> PowerState.SUSPENDED;
            default -> PowerState.POWERED_OFF;
        };
    }

    private static String moref(ManagedObjectReference mor) {
        return mor == null ? null : mor.val;
    }
}
