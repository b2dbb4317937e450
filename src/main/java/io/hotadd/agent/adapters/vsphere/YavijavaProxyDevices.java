package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ParaVirtualSCSIController;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceFileBackingInfo;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualMachineConfigSpec;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.ProxyDevices;
import io.hotadd.agent.port.VSphereException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link ProxyDevices}: ReconfigVM_Task on the proxy itself, then one read of its devices to answer with
 * what vCenter made of the change (keys, UUIDs).
 *
 * <p>Every change is checked against the proxy's devices when it fails: if the wanted state is there (an
 * earlier attempt got through, or the answer to this one was lost on the way), the step is done. A crashed
 * job can therefore simply run it again.
 */
final class YavijavaProxyDevices implements ProxyDevices {

    private final TaskWaiter tasks;
    private final TaskDeadlines deadlines;
    private final YavijavaInventory inventory;

    YavijavaProxyDevices(TaskWaiter tasks, TaskDeadlines deadlines, YavijavaInventory inventory) {
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.inventory = inventory;
    }

    @Override
    public DiskInfo addSpareController(VmRef proxy, int busNumber, String dummyFileName, long dummyBytes) {
        String action = "add a ParaVirtual SCSI controller at bus " + busNumber + " with the dummy disk "
                + dummyFileName;
        Predicate<List<VirtualDevice>> done = devices -> spareDisk(devices, busNumber, dummyFileName).isPresent();
        try {
            reconfigure(proxy, action, DeviceChangeSpecs.spareController(busNumber, dummyFileName, dummyBytes), done);
        } catch (VSphereException.Fault f) {
            if (!"FileAlreadyExists".equals(f.faultType())) {
                throw f;
            }
            reconfigure(proxy, action + " (re-using the existing dummy file)",
                    DeviceChangeSpecs.spareControllerWithExistingDummy(busNumber, dummyFileName, dummyBytes), done);
        }
        return spareDisk(devicesOf(proxy, action), busNumber, dummyFileName).orElseThrow(() -> missingAfterSuccess(
                proxy, action));
    }

    @Override
    public List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks) {
        if (disks.isEmpty()) {
            return List.of();
        }
        String action = "hot-add " + disks.size() + " disk(s) (" + disks.get(0).fileName()
                + (disks.size() > 1 ? ", ..." : "") + ")";
        reconfigure(proxy, action, DeviceChangeSpecs.attach(disks), devices -> attached(devices, disks).isPresent());
        return attached(devicesOf(proxy, action), disks).orElseThrow(() -> missingAfterSuccess(proxy, action));
    }

    @Override
    public void detachDisks(VmRef proxy, List<Integer> deviceKeys) {
        Optional<List<VirtualDevice>> devices = inventory.devices(proxy);
        if (devices.isEmpty()) {
            return; // the proxy VM is gone, and its disks with it
        }
        List<VirtualDevice> present = devices.get().stream()
                .filter(d -> d instanceof VirtualDisk && deviceKeys.contains(d.key)).toList();
        if (present.isEmpty()) {
            return;
        }
        List<Integer> keys = present.stream().map(d -> d.key).toList();
        try {
            reconfigure(proxy, "remove the disks " + keys + " (files kept)", DeviceChangeSpecs.detach(present),
                    now -> now.stream().noneMatch(d -> keys.contains(d.key)));
        } catch (VSphereException.NotFound proxyGone) {
            // nothing left to detach from
        }
    }

    private void reconfigure(VmRef proxy, String action, VirtualMachineConfigSpec spec,
                             Predicate<List<VirtualDevice>> alreadyDone) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", proxy.moref());
        try {
            tasks.run(new TaskWaiter.TaskRun(action, FaultTranslator.ref(mor), deadlines.reconfigure()),
                    (vim, content) -> vim.reconfigVM_Task(mor, spec));
        } catch (VSphereException failure) {
            if (!isDoneDespite(failure, proxy, alreadyDone)) {
                throw failure;
            }
        }
    }

    private boolean isDoneDespite(VSphereException failure, VmRef proxy, Predicate<List<VirtualDevice>> done) {
        try {
            return inventory.devices(proxy).map(done::test).orElse(false);
        } catch (VSphereException readFailed) {
            failure.addSuppressed(readFailed);
            return false;
        }
    }

    private List<VirtualDevice> devicesOf(VmRef proxy, String action) {
        return inventory.devices(proxy).orElseThrow(() -> new VSphereException.NotFound("The proxy VM "
                + proxy.moref() + " disappeared right after the agent managed to " + action + ". Check the"
                + " appliance's VM in vCenter.", "ManagedObjectNotFound", null, null));
    }

    /** The disk at unit 0 of the PVSCSI controller at {@code busNumber}, if it is the dummy. */
    private static Optional<DiskInfo> spareDisk(List<VirtualDevice> devices, int busNumber, String dummyFileName) {
        return devices.stream()
                .filter(d -> d instanceof ParaVirtualSCSIController c && c.busNumber == busNumber)
                .findFirst()
                .flatMap(controller -> diskAt(devices, controller.key, 0, dummyFileName));
    }

    /** The attached disks in the order asked for, if every one is where it was asked to be. */
    private static Optional<List<DiskInfo>> attached(List<VirtualDevice> devices, List<DiskAttachment> disks) {
        List<DiskInfo> found = new ArrayList<>();
        for (DiskAttachment d : disks) {
            Optional<DiskInfo> disk = diskAt(devices, d.controllerKey(), d.unitNumber(), d.fileName());
            if (disk.isEmpty()) {
                return Optional.empty();
            }
            found.add(disk.get());
        }
        return Optional.of(found);
    }

    private static Optional<DiskInfo> diskAt(List<VirtualDevice> devices, int controllerKey, int unit,
                                             String fileName) {
        return devices.stream()
                .filter(d -> d instanceof VirtualDisk && d.controllerKey != null && d.controllerKey == controllerKey
                        && d.unitNumber != null && d.unitNumber == unit
                        && d.backing instanceof VirtualDeviceFileBackingInfo file && fileName.equals(file.fileName))
                .findFirst()
                .map(d -> VirtualDeviceMapper.disk((VirtualDisk) d));
    }

    private static VSphereException missingAfterSuccess(VmRef proxy, String action) {
        return new VSphereException.Fault("vCenter reported success for '" + action + "' on the proxy VM "
                + proxy.moref() + ", but its devices do not show the change. Another process may have reconfigured"
                + " the proxy at the same time; check its hardware in vCenter before running the job again.",
                "ReconfigurationNotVisible", null, false, null);
    }
}
