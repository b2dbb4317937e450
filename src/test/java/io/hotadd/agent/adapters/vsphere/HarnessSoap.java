package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ArrayOfVirtualDevice;
import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.LocalizedMethodFault;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.TaskInfo;
import com.vmware.vim25.TaskInfoState;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceConfigSpec;
import com.vmware.vim25.VirtualDeviceConfigSpecOperation;
import com.vmware.vim25.VirtualDisk;
import com.vmware.vim25.VirtualDiskFlatVer2BackingInfo;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachineRelocateSpec;
import io.hotadd.agent.harness.Vcsim;
import io.hotadd.agent.port.VSphereException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * Raw vSphere calls through the project's yavijava transport, for tests of the simulator harness itself
 * (the agent's own gateway is tested by the contract suite). Tasks run synchronously in the harness, so a
 * short poll of {@code info} is enough here.
 */
final class HarnessSoap implements AutoCloseable {
    final VSphereSession session;

    HarnessSoap(Vcsim vcsim) {
        session = VSphereSession.open(VSphereSettings.of(vcsim.url(), ServerTrust.pinned(vcsim.sha256())),
                new VSphereCredentials(vcsim.username(), vcsim.password().toCharArray()));
    }

    static ManagedObjectReference mor(String type, String value) {
        ManagedObjectReference m = new ManagedObjectReference();
        m.setType(type);
        m.set_value(value);
        return m;
    }

    static ManagedObjectReference vm(String moref) {
        return mor("VirtualMachine", moref);
    }

    /** Waits for a task and answers its result; a task that ends in error throws its fault, typed. */
    Object await(ManagedObjectReference task, String action) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            TaskInfo info = (TaskInfo) property(task, "info");
            if (info.getState() == TaskInfoState.success) {
                return info.getResult();
            }
            if (info.getState() == TaskInfoState.error) {
                LocalizedMethodFault f = info.getError();
                throw FaultTranslator.translate(f.getFault(), action, task.getVal(), f.getLocalizedMessage());
            }
            sleep();
        }
        throw new AssertionError("task " + task.getVal() + " (" + action + ") did not finish in 30 s");
    }

    Object property(ManagedObjectReference obj, String path) {
        return session.call("read " + path, obj.getVal(), (vim, sc) -> {
            PropertySpec ps = new PropertySpec();
            ps.setType(obj.getType());
            ps.setPathSet(new String[] {path});
            ObjectSpec os = new ObjectSpec();
            os.setObj(obj);
            PropertyFilterSpec spec = new PropertyFilterSpec();
            spec.setPropSet(new PropertySpec[] {ps});
            spec.setObjectSet(new ObjectSpec[] {os});
            RetrieveResult r = vim.retrievePropertiesEx(sc.getPropertyCollector(), new PropertyFilterSpec[] {spec},
                    new RetrieveOptions());
            if (r == null || r.getObjects() == null) {
                return null;
            }
            ObjectContent oc = r.getObjects()[0];
            DynamicProperty[] props = oc.getPropSet();
            return props == null || props.length == 0 ? null : props[0].getVal();
        });
    }

    List<VirtualDisk> disks(ManagedObjectReference vm) {
        VirtualDevice[] devices = ((ArrayOfVirtualDevice) property(vm, "config.hardware.device")).getVirtualDevice();
        return Arrays.stream(devices).filter(VirtualDisk.class::isInstance)
                .map(VirtualDisk.class::cast).toList();
    }

    ManagedObjectReference snapshot(String vmMoref, String name) {
        return (ManagedObjectReference) await(session.call("snapshot", vmMoref,
                (vim, sc) -> vim.createSnapshot_Task(vm(vmMoref), name, "harness test", false, false)), "snapshot");
    }

    void removeSnapshot(ManagedObjectReference snapshot) {
        await(session.call("remove snapshot", snapshot.getVal(),
                (vim, sc) -> vim.removeSnapshot_Task(snapshot, false, true)), "remove snapshot");
    }

    ManagedObjectReference linkedClone(String vmMoref, ManagedObjectReference snapshot, String name) {
        ManagedObjectReference source = vm(vmMoref);
        ManagedObjectReference folder = (ManagedObjectReference) property(source, "parent");
        VirtualMachineRelocateSpec location = new VirtualMachineRelocateSpec();
        location.setPool((ManagedObjectReference) property(source, "resourcePool"));
        location.setDiskMoveType("createNewChildDiskBacking");
        VirtualMachineCloneSpec spec = new VirtualMachineCloneSpec();
        spec.setLocation(location);
        spec.setSnapshot(snapshot);
        spec.setPowerOn(false);
        spec.setTemplate(false);
        return (ManagedObjectReference) await(session.call("clone", vmMoref,
                (vim, sc) -> vim.cloneVM_Task(source, folder, name, spec)), "clone");
    }

    void destroy(ManagedObjectReference vm) {
        await(session.call("destroy", vm.getVal(), (vim, sc) -> vim.destroy_Task(vm)), "destroy");
    }

    /** Hot-adds an existing disk file to the VM at (controllerKey, unit), no file operation. */
    void attach(String vmMoref, String fileName, int controllerKey, int unit, String mode) {
        VirtualDiskFlatVer2BackingInfo backing = new VirtualDiskFlatVer2BackingInfo();
        backing.setFileName(fileName);
        backing.setDiskMode(mode);
        VirtualDisk disk = new VirtualDisk();
        disk.setKey(-100);
        disk.setControllerKey(controllerKey);
        disk.setUnitNumber(unit);
        disk.setBacking(backing);
        reconfigure(vmMoref, VirtualDeviceConfigSpecOperation.add, disk);
    }

    void detach(String vmMoref, VirtualDisk disk) {
        reconfigure(vmMoref, VirtualDeviceConfigSpecOperation.remove, disk);
    }

    private void reconfigure(String vmMoref, VirtualDeviceConfigSpecOperation op, VirtualDisk disk) {
        VirtualDeviceConfigSpec change = new VirtualDeviceConfigSpec();
        change.setOperation(op);
        change.setDevice(disk);
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.setDeviceChange(new VirtualDeviceConfigSpec[] {change});
        await(session.call("reconfigure", vmMoref, (vim, sc) -> vim.reconfigVM_Task(vm(vmMoref), spec)), "reconfigure");
    }

    static String fileOf(VirtualDisk disk) {
        return ((VirtualDiskFlatVer2BackingInfo) disk.getBacking()).getFileName();
    }

    static VirtualDiskFlatVer2BackingInfo backing(VirtualDisk disk) {
        return (VirtualDiskFlatVer2BackingInfo) disk.getBacking();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VSphereException.Timeout("interrupted while waiting for a task", e);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
