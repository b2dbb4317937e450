package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskBacking;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import io.hotadd.agent.engine.RestoreTarget.DiskMapping;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Everything a restore checks before its first side effect, shared by the dry run and the run itself: the
 * restore point exists and holds what the target needs, and the target can take it (a new VM's name is
 * free and its placement exists, an existing VM is powered off and its disks are big enough, an image file
 * does not exist yet). Every refusal is a {@link RestoreRefused} naming the object and the remedy.
 */
final class RestoreChecks {
    private final VSphere vsphere;
    private final BackupRepository repository;
    private final int slotCapacity;

    /** @param slotCapacity how many disks the proxy's controllers can hold at most */
    RestoreChecks(VSphere vsphere, BackupRepository repository, int slotCapacity) {
        this.vsphere = vsphere;
        this.repository = repository;
        this.slotCapacity = slotCapacity;
    }

    CheckedRestore check(RestoreRequest request, String proxyMoref) {
        RestorePoint point = repository.find(request.restorePointId()).orElseThrow(() -> new RestoreRefused(
                "restore-point-not-found", "There is no restore point '" + request.restorePointId() + "' in the"
                + " repository; list the VM's restore points to find an existing one."));
        if (request.target() instanceof RestoreTarget.NewVm newVm) {
            return new NewVmChecks(vsphere, point, config(point)).check(newVm, slotCapacity);
        } else if (request.target() instanceof RestoreTarget.ExistingVm existing) {
            return checkExisting(point, existing, proxyMoref);
        }
        return checkImage(point, (RestoreTarget.Image) request.target());
    }

    /** The restore point's VM configuration, refused when it has none or it is unreadable. */
    private VmConfigDocument config(RestorePoint point) {
        byte[] blob = repository.vmConfig(point.id()).orElseThrow(() -> new RestoreRefused("no-vm-config",
                "Restore point " + point.id() + " of VM '" + point.vmName() + "' holds no VM configuration (it was"
                + " taken before the agent captured configurations, or the capture failed: see that backup's"
                + " warnings). Restore its disks into an existing VM or to an image instead."));
        try {
            return VmConfigDocument.fromBytes(blob, point.id());
        } catch (UnreadableVmConfig e) {
            throw new RestoreRefused("no-vm-config", e.getMessage());
        }
    }

    private CheckedRestore checkExisting(RestorePoint point, RestoreTarget.ExistingVm target, String proxyMoref) {
        VmInfo vm = existingVm(target.vm());
        if (vm.ref().moref().equals(proxyMoref)) {
            throw new RestoreRefused("target-is-proxy", "VM '" + vm.name() + "' is the backup proxy itself; restore"
                    + " into another VM.");
        }
        requireWritable(vm);
        if (target.disks().size() > slotCapacity) {
            throw tooManyDisks(target.disks().size());
        }
        List<DiskPlan> plans = new ArrayList<>();
        for (DiskMapping mapping : target.disks()) {
            plans.add(planOnto(point, vm, mapping));
        }
        return new CheckedRestore(point, Optional.empty(), target, Optional.of(vm), Optional.empty(), plans,
                List.of());
    }

    private VmInfo existingVm(VmSelector selector) {
        try {
            return vsphere.find(selector);
        } catch (VSphereException.NotFound e) {
            throw new RestoreRefused("target-vm-not-found", "There is no " + selector.describe() + " in vCenter to"
                    + " restore into; check the name or moref, or restore as a new VM instead.");
        } catch (VSphereException.Ambiguous e) {
            throw new RestoreRefused("target-vm-ambiguous", e.getMessage());
        }
    }

    /** Powered off, no snapshots, not a template: a restore may overwrite its disks. */
    private static void requireWritable(VmInfo vm) {
        if (vm.powerState() != PowerState.POWERED_OFF) {
            throw new RestoreRefused("target-powered-on", "VM '" + vm.name() + "' (" + vm.ref() + ") is "
                    + (vm.powerState() == PowerState.SUSPENDED ? "suspended" : "powered on") + ". A restore"
                    + " overwrites its disks, so it must be powered off: shut down its guest OS (or power it off) in"
                    + " vCenter, then run the restore again.");
        }
        if (vm.template()) {
            throw new RestoreRefused("target-is-template", "'" + vm.name() + "' (" + vm.ref() + ") is a template;"
                    + " convert it to a VM first, or restore as a new VM.");
        }
        if (!vm.snapshots().isEmpty()) {
            throw new RestoreRefused("target-has-snapshots", "VM '" + vm.name() + "' (" + vm.ref() + ") has"
                    + " snapshots, so its disks are redo logs and a full restore would land in the newest one."
                    + " Delete its snapshots (Snapshots > Delete All) and run the restore again.");
        }
    }

    private DiskPlan planOnto(RestorePoint point, VmInfo vm, DiskMapping mapping) {
        DiskSummary source = sourceDisk(point, mapping.sourceKey());
        DiskInfo target = vm.disk(mapping.targetKey()).orElseThrow(() -> new RestoreRefused("unknown-disk",
                "VM '" + vm.name() + "' has no disk with device key " + mapping.targetKey() + "; its disks are "
                + vm.disks().stream().map(d -> d.key() + " (" + d.label() + ")").toList() + "."));
        if (target.capacityBytes() < source.capacityBytes()) {
            throw new RestoreRefused("disk-too-small", "Disk '" + target.label() + "' of VM '" + vm.name() + "' holds "
                    + target.capacityBytes() + " bytes, less than the " + source.capacityBytes() + " bytes of '"
                    + source.label() + "' in the restore point. Extend the disk in vCenter first, or pick a larger"
                    + " one.");
        }
        if (target.backing() != DiskBacking.FLAT) {
            throw new RestoreRefused("disk-not-writable", "Disk '" + target.label() + "' of VM '" + vm.name() + "' is"
                    + " backed by " + target.backing() + ", which a HotAdd restore cannot write; pick a VMDK-backed"
                    + " disk.");
        }
        return new DiskPlan(source.key(), source.label(), source.capacityBytes(), source.storedBytes(),
                Optional.of(target.key()));
    }

    private CheckedRestore checkImage(RestorePoint point, RestoreTarget.Image target) {
        DiskSummary source = sourceDisk(point, target.diskKey());
        Path path = target.path();
        if (!path.isAbsolute()) {
            throw new RestoreRefused("image-path-invalid", "The image path '" + path + "' is relative; give an"
                    + " absolute path on the proxy.");
        }
        if (Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new RestoreRefused("image-exists", "The image file " + path + " exists already; a restore never"
                    + " overwrites a file. Remove it or choose another path.");
        }
        if (path.getParent() == null || !Files.isDirectory(path.getParent())) {
            throw new RestoreRefused("image-path-invalid", "The folder of the image path " + path + " does not"
                    + " exist; create it first.");
        }
        return new CheckedRestore(point, Optional.empty(), target, Optional.empty(), Optional.empty(),
                List.of(new DiskPlan(source.key(), source.label(), source.capacityBytes(), source.storedBytes(),
                        Optional.empty())), List.of());
    }

    static DiskSummary sourceDisk(RestorePoint point, int key) {
        return point.disks().stream().filter(d -> d.key() == key).findFirst().orElseThrow(() -> new RestoreRefused(
                "unknown-disk", "Restore point " + point.id() + " of VM '" + point.vmName() + "' has no disk with key "
                + key + "; it has " + point.disks().stream().map(d -> d.key() + " (" + d.label() + ")").toList()
                + "."));
    }

    static RestoreRefused tooManyDisks(int count) {
        return new RestoreRefused("too-many-disks", "The restore needs " + count + " disks on the proxy at once, more"
                + " than its SCSI controllers can hold; add spare controllers to the proxy or restore fewer disks.");
    }
}
