package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.OptionValue;
import com.vmware.vim25.VirtualMachineCloneSpec;
import com.vmware.vim25.VirtualMachineConfigSpec;
import com.vmware.vim25.VirtualMachineRelocateSpec;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmOperations;

import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * {@link VmOperations}: each method starts one vCenter task and waits for it ({@link TaskWaiter}). Removals
 * are idempotent: an object that is already gone counts as done, so cleanup can be run again after a crash.
 */
final class YavijavaVmOperations implements VmOperations {

    private static final Logger LOG = Logger.getLogger(YavijavaVmOperations.class);

    private final VSphereSession session;
    private final TaskWaiter tasks;
    private final TaskDeadlines deadlines;
    private final YavijavaVmCreation creation;

    YavijavaVmOperations(VSphereSession session, TaskWaiter tasks, TaskDeadlines deadlines,
                         YavijavaVmCreation creation) {
        this.session = session;
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.creation = creation;
    }

    @Override
    public VmRef createVm(CreateVmSpec spec) {
        return creation.createVm(spec);
    }

    @Override
    public void powerOn(VmRef vm) {
        creation.powerOn(vm);
    }

    @Override
    public void setChangeTracking(VmRef vm, boolean enabled) {
        VirtualMachineConfigSpec spec = new VirtualMachineConfigSpec();
        spec.changeTrackingEnabled = enabled;
        ManagedObjectReference mor = vmMor(vm);
        tasks.run(new TaskWaiter.TaskRun((enabled ? "enable" : "disable") + " changed block tracking",
                FaultTranslator.ref(mor), deadlines.reconfigure()), (vim, content) -> vim.reconfigVM_Task(mor, spec));
    }

    @Override
    public SnapshotRef createSnapshot(VmRef vm, String name, String description, boolean quiesce) {
        ManagedObjectReference mor = vmMor(vm);
        Object result = tasks.run(new TaskWaiter.TaskRun("create snapshot '" + name + "'"
                        + (quiesce ? " (quiesced)" : ""), FaultTranslator.ref(mor), deadlines.createSnapshot()),
                (vim, content) -> vim.createSnapshot_Task(mor, name, description, false, quiesce));
        return new SnapshotRef(resultRef(result, "snapshot", "create snapshot '" + name + "'", mor).val);
    }

    @Override
    public void removeSnapshot(SnapshotRef snapshot) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachineSnapshot", snapshot.moref());
        try {
            tasks.run(new TaskWaiter.TaskRun("remove snapshot " + snapshot.moref(), FaultTranslator.ref(mor),
                    deadlines.removeSnapshot()), (vim, content) -> vim.removeSnapshot_Task(mor, false, true));
        } catch (VSphereException.NotFound alreadyGone) {
            LOG.debugf("Snapshot %s is already gone; nothing to remove", snapshot.moref());
        }
    }

    @Override
    public void consolidateDisks(VmRef vm) {
        ManagedObjectReference mor = vmMor(vm);
        tasks.run(new TaskWaiter.TaskRun("consolidate the disks", FaultTranslator.ref(mor), deadlines.consolidate()),
                (vim, content) -> vim.consolidateVMDisks_Task(mor));
    }

    @Override
    public VmRef createLinkedClone(VmRef source, SnapshotRef snapshot, CloneSpec spec) {
        ManagedObjectReference mor = vmMor(source);
        ManagedObjectReference folder = VSphereSession.mor("Folder", spec.folder());
        VirtualMachineCloneSpec clone = linkedCloneSpec(snapshot, spec);
        String action = "create linked clone '" + spec.name() + "' of snapshot " + snapshot.moref();
        Object result = tasks.run(new TaskWaiter.TaskRun(action, FaultTranslator.ref(mor), deadlines.linkedClone()),
                (vim, content) -> vim.cloneVM_Task(mor, folder, spec.name(), clone));
        return new VmRef(resultRef(result, "VM", action, mor).val);
    }

    /** New child disks on the snapshot's disks: nothing is copied, the clone is ready in seconds. */
    static VirtualMachineCloneSpec linkedCloneSpec(SnapshotRef snapshot, CloneSpec spec) {
        VirtualMachineRelocateSpec location = new VirtualMachineRelocateSpec();
        location.diskMoveType = "createNewChildDiskBacking";
        location.pool = spec.resourcePool() == null ? null : VSphereSession.mor("ResourcePool", spec.resourcePool());
        VirtualMachineConfigSpec config = new VirtualMachineConfigSpec();
        config.annotation = spec.annotation();
        config.extraConfig = spec.extraConfig().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(YavijavaVmOperations::option).toArray(OptionValue[]::new);
        VirtualMachineCloneSpec clone = new VirtualMachineCloneSpec();
        clone.location = location;
        clone.snapshot = VSphereSession.mor("VirtualMachineSnapshot", snapshot.moref());
        clone.powerOn = false;
        clone.template = false;
        clone.config = config;
        return clone;
    }

    @Override
    public void destroy(VmRef vm) {
        ManagedObjectReference mor = vmMor(vm);
        try {
            tasks.run(new TaskWaiter.TaskRun("destroy the VM", FaultTranslator.ref(mor), deadlines.destroy()),
                    (vim, content) -> vim.destroy_Task(mor));
        } catch (VSphereException.NotFound alreadyGone) {
            LOG.debugf("VM %s is already gone; nothing to destroy", vm.moref());
        }
    }

    @Override
    public void disableMethods(VmRef vm, List<String> methods, String sourceId) {
        ManagedObjectReference mor = vmMor(vm);
        session.call("disable " + String.join(", ", methods) + " for '" + sourceId + "'", FaultTranslator.ref(mor),
                (vim, content) -> {
                    AuthorizationMethods.disable(vim.getWsc(), content.authorizationManager,
                            new ManagedObjectReference[] {mor}, methods.toArray(String[]::new), sourceId);
                    return null;
                });
    }

    @Override
    public void enableMethods(VmRef vm, List<String> methods, String sourceId) {
        ManagedObjectReference mor = vmMor(vm);
        try {
            session.call("enable " + String.join(", ", methods) + " again for '" + sourceId + "'",
                    FaultTranslator.ref(mor), (vim, content) -> {
                        AuthorizationMethods.enable(vim.getWsc(), content.authorizationManager,
                                new ManagedObjectReference[] {mor}, methods.toArray(String[]::new), sourceId);
                        return null;
                    });
        } catch (VSphereException.NotFound vmGone) {
            LOG.debugf("VM %s is gone; its disabled methods went with it", vm.moref());
        }
    }

    private static OptionValue option(Map.Entry<String, String> entry) {
        OptionValue option = new OptionValue();
        option.key = entry.getKey();
        option.value = entry.getValue();
        return option;
    }

    /** The managed object a task answered with (new snapshot, new VM). */
    private static ManagedObjectReference resultRef(Object result, String what, String action,
                                                    ManagedObjectReference object) {
        if (result instanceof ManagedObjectReference ref) {
            return ref;
        }
        throw new VSphereException.Fault("vCenter reported success for '" + action + "' on "
                + FaultTranslator.ref(object) + " but did not name the new " + what + " (result: " + result + ")."
                + " Look for it in vCenter; it may have to be removed by hand.", "UnexpectedTaskResult", null,
                false, null);
    }

    private static ManagedObjectReference vmMor(VmRef vm) {
        return VSphereSession.mor("VirtualMachine", vm.moref());
    }
}
