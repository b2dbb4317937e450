package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ParaVirtualSCSIController;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecFileOperation;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualSCSISharing;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.port.ProxyDevices.DiskAttachment;

import java.util.List;

/**
 * ReconfigVM specs for the proxy's own hardware. Pure: builds vim25 objects, no I/O.
 *
 * <p>New devices get negative keys: vCenter treats them as placeholders, assigns real keys, and lets other
 * devices of the same spec refer to them (the dummy disk names its new controller by the placeholder).
 */
final class DeviceChangeSpecs {

    /** Placeholder key of a new controller; disks added with it use this as their controllerKey. */
    static final int NEW_CONTROLLER_KEY = -100;

    private DeviceChangeSpecs() {
    }

    /**
     * A ParaVirtual SCSI controller at {@code busNumber} and, in the same reconfiguration, a thin disk created
     * at unit 0 on it: vSphere detaches a controller that has no disk.
     */
    static VirtualMachineConfigSpec spareController(int busNumber, String dummyFileName, long dummyBytes) {
        return spareController(busNumber, dummyFileName, dummyBytes, true);
    }

    /**
     * The same, re-using a dummy disk file that is still on the datastore: an administrator who removes a
     * controller with its last disk in the vSphere Client usually keeps the file.
     */
    static VirtualMachineConfigSpec spareControllerWithExistingDummy(int busNumber, String dummyFileName,
                                                                     long dummyBytes) {
        return spareController(busNumber, dummyFileName, dummyBytes, false);
    }

    private static VirtualMachineConfigSpec spareController(int busNumber, String dummyFileName, long dummyBytes,
                                                            boolean createFile) {
        ParaVirtualSCSIController controller = new ParaVirtualSCSIController();
        controller.key = NEW_CONTROLLER_KEY;
        controller.busNumber = busNumber;
        controller.sharedBus = VirtualSCSISharing.noSharing;
        VirtualDisk dummy = disk(-101, NEW_CONTROLLER_KEY, 0, dummyFileName, DiskMode.PERSISTENT, dummyBytes);
        ((VirtualDiskFlatVer2BackingInfo) dummy.backing).thinProvisioned = true;
        VirtualDeviceConfigSpec addDummy = change(VirtualDeviceConfigSpecOperation.add, dummy);
        if (createFile) {
            addDummy.fileOperation = VirtualDeviceConfigSpecFileOperation.create;
        }
        return spec(List.of(change(VirtualDeviceConfigSpecOperation.add, controller), addDummy));
    }

    /** Existing disk files added as they are: no file operation, so nothing is created or copied. */
    static VirtualMachineConfigSpec attach(List<DiskAttachment> disks) {
        VirtualDeviceConfigSpec[] changes = new VirtualDeviceConfigSpec[disks.size()];
        for (int i = 0; i < disks.size(); i++) {
            DiskAttachment d = disks.get(i);
            changes[i] = change(VirtualDeviceConfigSpecOperation.add,
                    disk(-1 - i, d.controllerKey(), d.unitNumber(), d.fileName(), d.mode(), d.capacityBytes()));
        }
        return spec(List.of(changes));
    }

    /**
     * Removes devices from the VM. There is deliberately no file operation: {@code destroy} would delete the
     * disk files, which belong to the backed-up VM or its clone.
     */
    static VirtualMachineConfigSpec detach(List<VirtualDevice> devices) {
        return spec(devices.stream().map(d -> change(VirtualDeviceConfigSpecOperation.remove, d)).toList());
    }

    private static VirtualDisk disk(int key, int controllerKey, int unitNumber, String fileName, DiskMode mode,
                                    long capacityBytes) {
        VirtualDiskFlatVer2BackingInfo backing = new VirtualDiskFlatVer2BackingInfo();
        backing.fileName = fileName;
        backing.diskMode = mode.wire();
        VirtualDisk disk = new VirtualDisk();
        disk.key = key;
        disk.controllerKey = controllerKey;
        disk.unitNumber = unitNumber;
        disk.capacityInKB = (capacityBytes + 1023) / 1024;
        disk.capacityInBytes = capacityBytes;
        disk.backing = backing;
        return disk;
    }

    private static VirtualDeviceConfigSpec change(VirtualDeviceConfigSpecOperation operation, VirtualDevice device) {
        VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
        change.operation = operation;
        change.device = device;
        return change;
    }

    private static VirtualMachineConfigSpec spec(List<VirtualDeviceConfigSpec> changes) {
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.deviceChange = changes.toArray(VirtualDeviceConfigSpec[]::new);
        return spec;
    }
}
