package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DatastoreInfo;
import io.hotadd.agent.domain.Provisioning;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import io.hotadd.agent.engine.CheckedRestore.Placement;
import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks of a restore to a new VM: the name is free, the placement is complete (defaults from where the
 * source VM was), the datastore exists and has room, the network map names networks the VM used, an encrypted
 * VM has an encryption storage policy, and the captured configuration matches the restore point's disks.
 */
final class NewVmChecks {
    private final VSphere vsphere;
    private final RestorePoint point;
    private final VmConfigDocument config;
    private final VmConfigSummary summary;
    private final List<String> warnings = new ArrayList<>();

    NewVmChecks(VSphere vsphere, RestorePoint point, VmConfigDocument config) {
        this.vsphere = vsphere;
        this.point = point;
        this.config = config;
        this.summary = config.summary();
    }

    CheckedRestore check(RestoreTarget.NewVm target, int slotCapacity) {
        requireNameFree(target.name());
        requireKnownNetworks(target);
        requireEncryptionPolicy(target);
        List<DiskPlan> plans = plans();
        if (plans.size() > slotCapacity) {
            throw RestoreChecks.tooManyDisks(plans.size());
        }
        Placement placement = placement(target);
        requireRoom(placement, plans);
        config.notes().forEach(note -> warnings.add("captured with the backup: " + note));
        return new CheckedRestore(point, Optional.of(config), target, Optional.empty(), Optional.of(placement), plans,
                warnings);
    }

    private void requireNameFree(String name) {
        try {
            VmInfo taken = vsphere.find(new VmSelector.ByName(name));
            throw new RestoreRefused("name-taken", "A VM named '" + name + "' exists already (" + taken.ref() + ");"
                    + " choose another name for the restored VM, or remove that VM first.");
        } catch (VSphereException.NotFound free) {
            // the name is free
        } catch (VSphereException.Ambiguous e) {
            throw new RestoreRefused("name-taken", "Several VMs are named '" + name + "' already (" + e.candidates()
                    + "); choose another name for the restored VM.");
        }
    }

    private void requireKnownNetworks(RestoreTarget.NewVm target) {
        Set<String> used = summary.nics().stream().map(VmConfigSummary.Nic::network).collect(Collectors.toSet());
        for (String source : target.networkMap().keySet()) {
            if (!used.contains(source)) {
                throw new RestoreRefused("unknown-network", "The network map names '" + source + "', which none of"
                        + " the network adapters of '" + summary.name() + "' used; they were on " + used.stream()
                        .sorted().toList() + ".");
            }
        }
    }

    private void requireEncryptionPolicy(RestoreTarget.NewVm target) {
        if (!summary.encrypted()) {
            return;
        }
        if (target.storagePolicyId().isEmpty()) {
            String key = summary.keyId().map(k -> " (key " + k.keyId() + " of key provider '" + k.providerId() + "')")
                    .orElse("");
            throw new RestoreRefused("encryption-policy-required", "VM '" + summary.name() + "' was encrypted" + key
                    + (summary.hasVtpm() ? " and has a virtual TPM" : "") + ". Name a VM encryption storage policy"
                    + " (storagePolicyId) for the restored VM; vSphere keeps storage policies outside the VM's"
                    + " configuration, so the backup could not record it.");
        }
        if (config.nvram().isEmpty()) {
            warnings.add("the restore point has no NVRAM of encrypted VM '" + summary.name() + "'; the restored VM"
                    + " gets a fresh one (a vTPM's keys and Secure Boot settings are lost)");
        }
    }

    /** One plan per disk of the restore point; configured disks without backup data are created empty. */
    private List<DiskPlan> plans() {
        List<DiskPlan> plans = new ArrayList<>();
        for (DiskSummary d : point.disks()) {
            VmConfigSummary.Disk configured = summary.disk(d.key()).orElseThrow(() -> new RestoreRefused(
                    "config-mismatch", "Disk " + d.key() + " (" + d.label() + ") of restore point " + point.id()
                    + " is not in the VM configuration stored with it; restore the disk into an existing VM instead."));
            if (configured.capacityBytes() != d.capacityBytes()) {
                throw new RestoreRefused("config-mismatch", "Disk '" + d.label() + "' has " + d.capacityBytes()
                        + " bytes in restore point " + point.id() + " but " + configured.capacityBytes() + " in its"
                        + " stored configuration; restore the disk into an existing VM instead.");
            }
            plans.add(new DiskPlan(d.key(), d.label(), d.capacityBytes(), d.storedBytes(), Optional.empty()));
        }
        Set<Integer> backedUp = point.disks().stream().map(DiskSummary::key).collect(Collectors.toSet());
        summary.disks().stream().filter(d -> !backedUp.contains(d.key())).forEach(d -> warnings.add("disk '"
                + d.label() + "' (" + d.mode().wire() + ") was not in the backup; the restored VM gets it empty"));
        return plans;
    }

    private Placement placement(RestoreTarget.NewVm target) {
        VmConfigDocument.Source source = config.source();
        String folder = target.folder().orElse(source.folder());
        String pool = target.resourcePool().orElse(source.resourcePool());
        if (folder == null || pool == null) {
            throw new RestoreRefused("placement-missing", "Say where to create '" + target.name() + "': the restore"
                    + " point does not record the source VM's " + (folder == null ? "folder" : "resource pool") + ".");
        }
        Optional<String> host = target.host().or(() -> target.resourcePool().isPresent()
                ? Optional.empty() : Optional.ofNullable(source.host()));
        DatastoreInfo datastore = target.datastore().map(this::datastore).orElseGet(this::sourceDatastore);
        return new Placement(folder, pool, host, datastore.moref(), datastore.name());
    }

    private DatastoreInfo datastore(String moref) {
        try {
            return vsphere.datastores(List.of(moref)).get(0);
        } catch (VSphereException.NotFound e) {
            throw new RestoreRefused("datastore-not-found", "vCenter has no datastore " + moref + "; name an existing"
                    + " datastore for the restored VM.");
        }
    }

    /** The datastore that held the source's configuration file, if vCenter still has it. */
    private DatastoreInfo sourceDatastore() {
        String vmx = summary.vmPathName();
        String name = vmx != null && vmx.startsWith("[") && vmx.indexOf(']') > 0 ? vmx.substring(1, vmx.indexOf(']'))
                : "";
        try {
            return vsphere.datastores(config.source().datastores()).stream().filter(d -> d.name().equals(name))
                    .findFirst().orElseThrow(() -> noSourceDatastore(name));
        } catch (VSphereException.NotFound e) {
            throw noSourceDatastore(name);
        }
    }

    private RestoreRefused noSourceDatastore(String name) {
        return new RestoreRefused("datastore-not-found", "The source VM's datastore '" + name + "' is not in vCenter"
                + " (any more); name a datastore for the restored VM.");
    }

    /** Thick disks take their whole capacity at creation; thin ones what is written. */
    private void requireRoom(Placement placement, List<DiskPlan> plans) {
        DatastoreInfo ds = datastore(placement.datastore());
        if (!ds.accessible()) {
            throw new RestoreRefused("datastore-inaccessible", "Datastore '" + ds.name() + "' is not accessible in"
                    + " vCenter; fix its connection or name another datastore.");
        }
        long need = 0;
        for (VmConfigSummary.Disk d : summary.disks()) {
            long data = plans.stream().filter(p -> p.sourceKey() == d.key()).mapToLong(DiskPlan::bytesToWrite).sum();
            need += d.provisioning() == Provisioning.THIN ? data : d.capacityBytes();
        }
        if (need > ds.freeBytes()) {
            throw new RestoreRefused("datastore-full", "Datastore '" + ds.name() + "' has " + ds.freeBytes() + " bytes"
                    + " free, but the restored VM's disks need " + need + "; free space or name another datastore.");
        }
    }
}
