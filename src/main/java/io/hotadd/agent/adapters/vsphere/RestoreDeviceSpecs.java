package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.VirtualAHCIController;
import com.vmware.vim25.VirtualCdrom;
import com.vmware.vim25.VirtualCdromRemotePassthroughBackingInfo;
import com.vmware.vim25.VirtualController;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceBackingInfo;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecFileOperation;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualDeviceConnectInfo;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualEthernetCard;
import com.vmware.vim25.VirtualIDEController;
import com.vmware.vim25.VirtualMachineDefinedProfileSpec;
import com.vmware.vim25.VirtualMachineProfileSpec;
import com.vmware.vim25.VirtualSCSIController;
import com.vmware.vim25.VirtualUSBController;
import com.vmware.vim25.VirtualUSBXHCIController;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Provisioning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The devices of a restored VM, from the captured ones, for CreateVM_Task. Replayed: disk controllers (SCSI,
 * SATA, NVMe) and USB controllers as captured; disks as new empty VMDKs of the captured capacity,
 * provisioning and mode at the same controller and unit (raw device mappings become thick VMDKs); network
 * adapters of the captured type and PCI slot on the (mapped) network with a new MAC address; CD/DVD drives,
 * empty; the virtual TPM. Not replayed: the devices CreateVM makes itself (IDE, PCI, PS/2, SIO controllers,
 * keyboard, mouse, video card, VMCI) and floppy, serial, parallel, sound, USB and PCI passthrough devices,
 * whose backings point at things of the source's host. Pure: no I/O.
 */
final class RestoreDeviceSpecs {
    /** Keys CreateVM gives the default controllers, which restored devices on them refer to. */
    private static final int IDE_KEY = 200;

    private final String datastoreName;
    private final Optional<String> storagePolicyId;
    private final Function<Integer, VirtualDeviceBackingInfo> nicBacking;
    private final Map<Integer, Integer> newKeys = new HashMap<>();
    private int nextKey = -100;

    /** @param nicBacking the backing for the captured NIC with this device key (its network, mapped) */
    RestoreDeviceSpecs(String datastoreName, Optional<String> storagePolicyId,
                       Function<Integer, VirtualDeviceBackingInfo> nicBacking) {
        this.datastoreName = datastoreName;
        this.storagePolicyId = storagePolicyId;
        this.nicBacking = nicBacking;
    }

    /** Controllers first, so every placeholder key a device refers to is defined before it. */
    List<VirtualDeviceConfigSpec> of(List<VirtualDevice> captured) {
        List<VirtualDeviceConfigSpec> changes = new ArrayList<>();
        for (VirtualDevice d : captured) {
            if (d instanceof VirtualIDEController ide) {
                newKeys.put(ide.key, IDE_KEY + ide.busNumber);
            } else if (isReplayedController(d)) {
                changes.add(add(controller((VirtualController) d), null));
            }
        }
        for (VirtualDevice d : captured) {
            if (d instanceof VirtualDisk disk) {
                changes.add(add(disk(disk), VirtualDeviceConfigSpecFileOperation.create));
            } else if (d instanceof VirtualEthernetCard nic) {
                changes.add(add(nic(nic), null));
            } else if (d instanceof VirtualCdrom cdrom) {
                changes.add(add(emptyCdrom(cdrom), null));
            } else if (d instanceof VirtualTPM) {
                VirtualTPM tpm = new VirtualTPM();
                tpm.key = nextKey--;
                changes.add(add(tpm, null));
            }
        }
        return changes;
    }

    private static boolean isReplayedController(VirtualDevice d) {
        return d instanceof VirtualSCSIController || d instanceof VirtualAHCIController
                || d instanceof VirtualNVMEController || d instanceof VirtualUSBController
                || d instanceof VirtualUSBXHCIController;
    }

    /** The captured controller with its settings (bus sharing, PCI slot) under a placeholder key. */
    private VirtualController controller(VirtualController c) {
        int key = nextKey--;
        newKeys.put(c.key, key);
        c.key = key;
        c.deviceInfo = null;
        c.device = null;
        c.controllerKey = null;
        c.unitNumber = null;
        c.connectable = null;
        return c;
    }

    private VirtualDisk disk(VirtualDisk captured) {
        DiskInfo info = VirtualDeviceMapper.disk(captured);
        VirtualDiskFlatVer2BackingInfo backing = new VirtualDiskFlatVer2BackingInfo();
        backing.fileName = "[" + datastoreName + "]";
        backing.diskMode = info.mode().isIndependent() ? info.mode().wire() : DiskMode.PERSISTENT.wire();
        backing.thinProvisioned = info.provisioning() == Provisioning.THIN;
        backing.eagerlyScrub = info.provisioning() == Provisioning.EAGER_ZEROED_THICK;
        VirtualDisk disk = new VirtualDisk();
        disk.key = nextKey--;
        disk.controllerKey = mapped(captured.controllerKey);
        disk.unitNumber = captured.unitNumber;
        disk.capacityInBytes = info.capacityBytes();
        disk.capacityInKB = (info.capacityBytes() + 1023) / 1024;
        disk.backing = backing;
        disk.shares = captured.shares;
        disk.storageIOAllocation = captured.storageIOAllocation;
        return disk;
    }

    /** Same adapter type and PCI slot (guests name NICs by slot); new MAC, the mapped network, not connected. */
    private VirtualEthernetCard nic(VirtualEthernetCard nic) {
        VirtualDeviceConnectInfo was = nic.connectable;
        nic.backing = nicBacking.apply(nic.key);
        nic.key = nextKey--;
        nic.deviceInfo = null;
        nic.controllerKey = null;
        nic.unitNumber = null;
        nic.addressType = "generated";
        nic.macAddress = null;
        nic.externalId = null;
        nic.connectable = connectInfo(was == null || was.startConnected, was == null || was.allowGuestControl);
        return nic;
    }

    private VirtualCdrom emptyCdrom(VirtualCdrom captured) {
        VirtualCdromRemotePassthroughBackingInfo backing = new VirtualCdromRemotePassthroughBackingInfo();
        backing.deviceName = "";
        backing.exclusive = false;
        VirtualCdrom cdrom = new VirtualCdrom();
        cdrom.key = nextKey--;
        cdrom.controllerKey = mapped(captured.controllerKey);
        cdrom.unitNumber = captured.unitNumber;
        cdrom.backing = backing;
        cdrom.connectable = connectInfo(false, true);
        return cdrom;
    }

    private Integer mapped(Integer capturedKey) {
        if (capturedKey == null || !newKeys.containsKey(capturedKey)) {
            throw new IllegalArgumentException("the captured configuration refers to controller " + capturedKey
                    + ", which it does not describe as a disk controller the restore recreates");
        }
        return newKeys.get(capturedKey);
    }

    private static VirtualDeviceConnectInfo connectInfo(boolean startConnected, boolean allowGuestControl) {
        VirtualDeviceConnectInfo c = new VirtualDeviceConnectInfo();
        c.startConnected = startConnected;
        c.allowGuestControl = allowGuestControl;
        c.connected = false;
        return c;
    }

    private VirtualDeviceConfigSpec add(VirtualDevice device, VirtualDeviceConfigSpecFileOperation fileOperation) {
        VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
        change.operation = VirtualDeviceConfigSpecOperation.add;
        change.fileOperation = fileOperation;
        change.device = device;
        if (device instanceof VirtualDisk) {
            change.profile = profile(storagePolicyId).orElse(null);
        }
        return change;
    }

    /** The storage policy as vCenter takes it on the VM home and on each disk. */
    static Optional<VirtualMachineProfileSpec[]> profile(Optional<String> storagePolicyId) {
        return storagePolicyId.map(id -> {
            VirtualMachineDefinedProfileSpec spec = new VirtualMachineDefinedProfileSpec();
            spec.profileId = id;
            return new VirtualMachineProfileSpec[] {spec};
        });
    }
}
