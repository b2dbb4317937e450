package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ParaVirtualSCSIController;
import com.vmware.vim25.VirtualBusLogicController;
import com.vmware.vim25.VirtualController;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceFileBackingInfo;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer1BackingInfo;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualDiskRawDiskMappingVer1BackingInfo;
import com.vmware.vim25.VirtualDiskSeSparseBackingInfo;
import com.vmware.vim25.VirtualDiskSparseVer1BackingInfo;
import com.vmware.vim25.VirtualDiskSparseVer2BackingInfo;
import com.vmware.vim25.VirtualIDEController;
import com.vmware.vim25.VirtualLsiLogicController;
import com.vmware.vim25.VirtualLsiLogicSASController;
import com.vmware.vim25.VirtualSATAController;
import com.vmware.vim25.VirtualSCSIController;
import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.ControllerType;
import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.Provisioning;

import java.util.ArrayList;
import java.util.List;

/** vim25 virtual devices to the domain's controllers and disks. Pure: no I/O. */
final class VirtualDeviceMapper {

    /** What the backing says about a disk, whatever its backing class. */
    private record Backing(String uuid, String diskMode, DiskBacking kind, Provisioning provisioning,
                           String changeId, String parentFileName, boolean encrypted) {
    }

    private VirtualDeviceMapper() {
    }

    /** The disk controllers (SCSI, IDE, SATA, NVMe); other controllers (PCI, USB, PS/2) hold no disks. */
    static List<ControllerInfo> controllers(List<VirtualDevice> devices) {
        List<ControllerInfo> controllers = new ArrayList<>();
        for (VirtualDevice device : devices) {
            ControllerType type = controllerType(device);
            if (type != null) {
                controllers.add(new ControllerInfo(device.key, ((VirtualController) device).busNumber, type));
            }
        }
        return controllers;
    }

    static List<DiskInfo> disks(List<VirtualDevice> devices) {
        List<DiskInfo> disks = new ArrayList<>();
        for (VirtualDevice device : devices) {
            if (device instanceof VirtualDisk disk) {
                disks.add(disk(disk));
            }
        }
        return disks;
    }

    static DiskInfo disk(VirtualDisk disk) {
        String label = disk.deviceInfo != null && disk.deviceInfo.label != null
                ? disk.deviceInfo.label : "disk " + disk.key;
        long capacity = disk.capacityInBytes != null ? disk.capacityInBytes : disk.capacityInKB * 1024L;
        String fileName = null;
        String datastore = null;
        if (disk.backing instanceof VirtualDeviceFileBackingInfo file) {
            fileName = file.fileName;
            datastore = file.datastore == null ? null : file.datastore.val;
        }
        Backing b = backing(disk);
        return new DiskInfo(disk.key, label, capacity, b.uuid(), fileName, datastore,
                disk.controllerKey == null ? -1 : disk.controllerKey, disk.unitNumber == null ? -1 : disk.unitNumber,
                b.diskMode() == null ? DiskMode.PERSISTENT : DiskMode.fromWire(b.diskMode()), b.kind(),
                b.provisioning(), b.changeId(), b.parentFileName(), b.encrypted());
    }

    private static Backing backing(VirtualDisk disk) {
        if (disk.backing instanceof VirtualDiskFlatVer2BackingInfo flat) {
            return new Backing(flat.uuid, flat.diskMode, DiskBacking.FLAT,
                    Provisioning.of(Boolean.TRUE.equals(flat.thinProvisioned), Boolean.TRUE.equals(flat.eagerlyScrub)),
                    flat.changeId, flat.parent == null ? null : flat.parent.fileName,
                    flat instanceof EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo e && e.keyId != null);
        }
        if (disk.backing instanceof VirtualDiskSeSparseBackingInfo se) {
            return new Backing(se.uuid, se.diskMode, DiskBacking.FLAT, Provisioning.THIN, se.changeId,
                    se.parent == null ? null : se.parent.fileName,
                    se instanceof EncryptableDiskBackings.VirtualDiskSeSparseBackingInfo e && e.keyId != null);
        }
        if (disk.backing instanceof VirtualDiskRawDiskMappingVer1BackingInfo rdm) {
            DiskBacking kind = "physicalMode".equals(rdm.compatibilityMode)
                    ? DiskBacking.RDM_PHYSICAL : DiskBacking.RDM_VIRTUAL;
            // provisioning does not apply to a LUN; thick is what a restore into a VMDK recreates
            return new Backing(rdm.uuid, rdm.diskMode, kind, Provisioning.LAZY_ZEROED_THICK, rdm.changeId,
                    rdm.parent == null ? null : rdm.parent.fileName, false);
        }
        return olderBacking(disk);
    }

    /** Hosted-era sparse and flat formats (still VMDKs HotAdd can open); anything else is OTHER. */
    private static Backing olderBacking(VirtualDisk disk) {
        if (disk.backing instanceof VirtualDiskSparseVer2BackingInfo sparse) {
            return new Backing(sparse.uuid, sparse.diskMode, DiskBacking.FLAT, Provisioning.THIN, sparse.changeId,
                    sparse.parent == null ? null : sparse.parent.fileName, false);
        }
        if (disk.backing instanceof VirtualDiskSparseVer1BackingInfo sparse) {
            return new Backing(null, sparse.diskMode, DiskBacking.FLAT, Provisioning.THIN, null,
                    sparse.parent == null ? null : sparse.parent.fileName, false);
        }
        if (disk.backing instanceof VirtualDiskFlatVer1BackingInfo flat) {
            return new Backing(null, flat.diskMode, DiskBacking.FLAT, Provisioning.LAZY_ZEROED_THICK, null,
                    flat.parent == null ? null : flat.parent.fileName, false);
        }
        // raw disks, partitioned raw disks, or a backing newer than the model: not something HotAdd can read
        return new Backing(null, null, DiskBacking.OTHER, Provisioning.LAZY_ZEROED_THICK, null, null, false);
    }

    /** The kind of a disk controller, or null for a device that holds no disks. */
    static ControllerType controllerType(VirtualDevice device) {
        if (device instanceof ParaVirtualSCSIController) {
            return ControllerType.PVSCSI;
        } else if (device instanceof VirtualLsiLogicSASController) {
            return ControllerType.LSILOGIC_SAS;
        } else if (device instanceof VirtualLsiLogicController) {
            return ControllerType.LSILOGIC;
        } else if (device instanceof VirtualBusLogicController) {
            return ControllerType.BUSLOGIC;
        } else if (device instanceof VirtualSCSIController) {
            return ControllerType.OTHER;
        } else if (device instanceof VirtualIDEController) {
            return ControllerType.IDE;
        } else if (device instanceof VirtualSATAController) {
            return ControllerType.SATA;
        } else if (device instanceof VirtualNVMEController) {
            return ControllerType.NVME;
        }
        return null;
    }
}
