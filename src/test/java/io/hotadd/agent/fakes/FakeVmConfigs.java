package io.hotadd.agent.fakes;

import io.hotadd.agent.domain.ControllerInfo;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.fakes.FakeVm.Disk;
import io.hotadd.agent.fakes.FakeVm.Snap;
import io.hotadd.agent.port.CapturedConfig;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import io.hotadd.agent.port.VmOperations.CreateVmSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A VM's configuration captured from a snapshot, and CreateVM from such a capture, as the real adapter does
 * them: the summary from the frozen disks, the extraConfig (encryption bundle included) carried in the XML,
 * new empty disks of the captured capacity and provisioning at the same controller and unit, the NICs on the
 * mapped networks, the key provider consulted for an encrypted VM, and a VM with the job's markers counting as
 * created already.
 */
final class FakeVmConfigs {
    private final FakeVSphere vc;

    FakeVmConfigs(FakeVSphere vc) {
        this.vc = vc;
    }

    CapturedConfig capture(VmRef ref, SnapshotRef snapshot) {
        FakeVm vm = vc.existing(ref);
        Snap s = vc.model.snap(vm, snapshot);
        String folder = vm.folderPath(vc.datastoreName(vm.datastore));
        VmConfigSummary summary = new VmConfigSummary(vm.name, vm.guestId, "vmx-" + vm.hardwareVersion, vm.firmware,
                vm.numCpu, 1, vm.memoryMb, folder + vm.name + ".vmx", folder + vm.name + ".nvram", vm.cbt,
                vm.controllers.stream().map(c -> new VmConfigSummary.Controller(c.key(), c.type(), c.busNumber()))
                        .toList(),
                s.disks.stream().map(d -> disk(d.info(vm.datastore))).toList(),
                vm.nics.stream().map(n -> new VmConfigSummary.Nic(n.key(), n.label(), n.adapterType(), n.network(),
                        n.macAddress(), true)).toList(),
                Optional.ofNullable(vm.keyId), vm.extraConfig.containsKey("encryption.bundle"), vm.vtpm, List.of());
        return new CapturedConfig(FakeConfigXml.write(vm), summary);
    }

    private static VmConfigSummary.Disk disk(DiskInfo d) {
        return new VmConfigSummary.Disk(d.key(), d.label(), d.capacityBytes(), d.provisioning(), d.mode(),
                d.backing(), d.controllerKey(), d.unitNumber(), d.fileName(), d.encrypted());
    }

    VmRef create(CreateVmSpec spec) {
        Optional<FakeVm> earlier = vc.model.named(spec.folder(), spec.name())
                .filter(v -> spec.markers().entrySet().stream()
                        .allMatch(m -> m.getValue().equals(v.extraConfig.get(m.getKey()))));
        if (earlier.isPresent()) {
            return new VmRef(earlier.get().moref);
        }
        String datastore = checkPlace(spec);
        VmConfigSummary summary = spec.config().summary();
        if (summary.keyId().isPresent() && !vc.keyProviderReachable) {
            throw new VSphereException.KeyProviderUnavailable("vCenter could not get the encryption key "
                    + summary.keyId().get().keyId() + " from key provider '" + summary.keyId().get().providerId()
                    + "' to create the encrypted VM '" + spec.name() + "'.", summary.keyId().get().providerId(),
                    "EncryptionKeyRequired", "Cannot connect to the key provider", null);
        }
        FakeVm vm = newVm(spec, summary, datastore);
        for (VmConfigSummary.Disk d : summary.disks()) {
            addDisk(vm, d);
        }
        for (VmConfigSummary.Nic n : summary.nics()) {
            vm.nics.add(new FakeVm.Nic(n.key(), n.label(), n.adapterType(),
                    spec.networkMap().getOrDefault(n.network(), n.network()), null));
        }
        vc.vms.put(vm.moref, vm);
        return new VmRef(vm.moref);
    }

    /** The folder and datastore exist, the name is free there, every (mapped) network exists. */
    private String checkPlace(CreateVmSpec spec) {
        if (!vc.hasFolder(spec.folder())) {
            throw new VSphereException.NotFound("Cannot create the VM '" + spec.name() + "': folder " + spec.folder()
                    + " does not exist.", "ManagedObjectNotFound", null, null);
        }
        vc.model.named(spec.folder(), spec.name()).ifPresent(taken -> {
            throw new VSphereException.Fault("Cannot create the VM '" + spec.name() + "': the name is already used by "
                    + taken.moref + ".", "DuplicateName", null, false, null);
        });
        for (VmConfigSummary.Nic n : spec.config().summary().nics()) {
            String network = spec.networkMap().getOrDefault(n.network(), n.network());
            if (!vc.networks.contains(network)) {
                throw new VSphereException.NotFound("There is no network named '" + network + "'.", "NotFound", null,
                        null);
            }
        }
        return vc.datastoreByName(spec.datastoreName()).orElseThrow(() -> new VSphereException.NotFound("There is no"
                + " datastore named '" + spec.datastoreName() + "'.", "NotFound", null, null));
    }

    private FakeVm newVm(CreateVmSpec spec, VmConfigSummary summary, String datastore) {
        FakeVm vm = new FakeVm(vc.ids.moref("vm"), spec.name());
        vm.instanceUuid = vc.ids.vmUuid("50");
        vm.biosUuid = vc.ids.vmUuid("42");
        vm.power = PowerState.POWERED_OFF;
        vm.folder = spec.folder();
        vm.resourcePool = spec.resourcePool();
        vm.host = spec.host() != null ? spec.host() : "host-1";
        vm.datastore = datastore;
        vm.guestId = summary.guestId();
        vm.firmware = summary.firmware();
        vm.numCpu = summary.numCpu();
        vm.memoryMb = summary.memoryMb();
        vm.keyId = summary.keyId().orElse(null);
        vm.encrypted = vm.keyId != null;
        vm.vtpm = summary.hasVtpm();
        vm.storagePolicyId = spec.storagePolicyId().orElse(null);
        for (Map.Entry<String, String> e : FakeConfigXml.extraConfig(spec.config().vimConfigXml()).entrySet()) {
            if (!e.getKey().startsWith("hotadd.")) {
                vm.extraConfig.put(e.getKey(), e.getValue());
            }
        }
        vm.extraConfig.putAll(spec.markers());
        summary.controllers().forEach(c -> vm.controllers.add(new ControllerInfo(c.key(), c.busNumber(), c.type())));
        return vm;
    }

    /** A new empty disk file of the captured size and provisioning, at the captured controller and unit. */
    private void addDisk(FakeVm vm, VmConfigSummary.Disk captured) {
        Disk d = vc.addDisk(vm, captured.controllerKey(), captured.unitNumber(), captured.capacityBytes());
        d.provisioning = captured.provisioning();
        d.mode = captured.mode().isIndependent() ? captured.mode() : DiskMode.PERSISTENT;
    }
}
