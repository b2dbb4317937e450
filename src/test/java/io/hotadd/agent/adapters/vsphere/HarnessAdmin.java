package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualSCSIController;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import io.hotadd.agent.adapters.blockdev.GuestDisksConfig;
import io.hotadd.agent.adapters.blockdev.SysfsGuestDisks;
import io.hotadd.agent.adapters.blockdev.WaitClock;
import io.hotadd.agent.harness.Vcsim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What an administrator does by hand in the vSphere Client, for tests outside this package that must not
 * import yavijava: e.g. removing a controller together with its last disk.
 */
public final class HarnessAdmin {
    private HarnessAdmin() {
    }

    /** Removes the SCSI controller at {@code bus} of the VM and every disk on it (files are kept). */
    public static void removeScsiControllerWithDisks(Vcsim vcsim, String vmMoref, int bus) {
        try (HarnessSoap soap = new HarnessSoap(vcsim)) {
            ManagedObjectReference vm = HarnessSoap.vm(vmMoref);
            VirtualDevice[] devices = ((ArrayOfVirtualDevice) soap.property(vm, "config.hardware.device"))
                    .getVirtualDevice();
            VirtualSCSIController controller = null;
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualSCSIController c && c.getBusNumber() == bus) {
                    controller = c;
                }
            }
            if (controller == null) {
                throw new IllegalArgumentException("VM " + vmMoref + " has no SCSI controller at bus " + bus);
            }
            List<VirtualDeviceConfigSpec> changes = new ArrayList<>();
            SysfsGuestDisks guest = new SysfsGuestDisks(GuestDisksConfig.underRoots(vcsim.devDir(), vcsim.byIdDir(),
                    vcsim.sysfsRoot()), WaitClock.system());
            for (VirtualDevice d : devices) {
                if (d instanceof VirtualDisk disk && disk.getControllerKey() == controller.getKey()) {
                    // on a real proxy the guest drops a hot-removed disk by itself; the harness wants it explicit
                    guest.release(((VirtualDiskFlatVer2BackingInfo) disk.getBacking()).getUuid(), Duration.ofSeconds(10));
                }
                if (d == controller || d.getControllerKey() != null && d.getControllerKey() == controller.getKey()) {
                    VirtualDeviceConfigSpec c = new VirtualDeviceConfigSpec();
                    c.setOperation(VirtualDeviceConfigSpecOperation.remove);
                    c.setDevice(d);
                    changes.add(c);
                }
            }
            VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
            spec.setDeviceChange(changes.toArray(new VirtualDeviceConfigSpec[0]));
            soap.await(soap.session.call("remove controller", vmMoref, (v, sc) -> v.reconfigVM_Task(vm, spec)),
                    "remove controller");
        }
    }
}
