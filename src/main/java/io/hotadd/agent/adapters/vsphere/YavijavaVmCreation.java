package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.VirtualDevice;
import com.vmware.vim25.VirtualDeviceBackingInfo;
import io.hotadd.agent.domain.PowerState;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmConfigSummary;
import io.hotadd.agent.port.VmOperations.CreateVmSpec;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * CreateVM_Task of a restore and PowerOnVM_Task. The captured XML is read back into the model (with the
 * project's additions: keyId, vTPM, Secure Boot), turned into a ConfigSpec ({@link RestoreConfigSpec},
 * {@link RestoreDeviceSpecs}) with the NICs on the resolved networks, and sent. A VM of the spec's name that
 * carries the job's marker counts as created (an earlier attempt whose answer was lost). A failure that comes
 * from the key provider is reported as such.
 */
final class YavijavaVmCreation {
    /** What vCenter says when the key server is the problem (fault texts of 6.7-8.0). */
    private static final Pattern KEY_PROVIDER_TROUBLE = Pattern.compile("(?i).*(key provider|key server|kms|kmip|"
            + "key management|crypto ?key|encryption key).*", Pattern.DOTALL);

    private final VSphereSession session;
    private final PropertyReader properties;
    private final TaskWaiter tasks;
    private final TaskDeadlines deadlines;
    private final YavijavaInventory inventory;
    private final TolerantVimDeserializer xml;

    YavijavaVmCreation(VSphereSession session, PropertyReader properties, TaskWaiter tasks, TaskDeadlines deadlines,
                       YavijavaInventory inventory) {
        this.session = session;
        this.properties = properties;
        this.tasks = tasks;
        this.deadlines = deadlines;
        this.inventory = inventory;
        this.xml = new TolerantVimDeserializer(VimTypeRegistry.withProjectTypes(), session.skippedXml());
    }

    VmRef createVm(CreateVmSpec spec) {
        Optional<VmRef> earlier = createdEarlier(spec);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        VmConfigTypes.VirtualMachineConfigInfo info = captured(spec);
        VmConfigTypes.VirtualMachineConfigSpec config = configSpec(spec, info);
        ManagedObjectReference folder = VSphereSession.mor("Folder", spec.folder());
        ManagedObjectReference pool = VSphereSession.mor("ResourcePool", spec.resourcePool());
        ManagedObjectReference host = spec.host() == null ? null : VSphereSession.mor("HostSystem", spec.host());
        String action = "create the VM '" + spec.name() + "' from the configuration of '" + spec.config().summary()
                .name() + "' on datastore '" + spec.datastoreName() + "'";
        try {
            Object result = tasks.run(new TaskWaiter.TaskRun(action, FaultTranslator.ref(folder), deadlines.createVm()),
                    (vim, content) -> vim.createVM_Task(folder, config, pool, host));
            if (result instanceof ManagedObjectReference vm) {
                return new VmRef(vm.val);
            }
            return createdEarlier(spec).orElseThrow(() -> noResult(action));
        } catch (VSphereException failure) {
            Optional<VmRef> despite = createdEarlier(spec);
            if (despite.isPresent()) {
                return despite.get();
            }
            throw info.keyId != null ? keyProviderOr(failure, spec.config().summary(), spec.name()) : failure;
        }
    }

    /** The job's VM by name and marker, if it exists. */
    private Optional<VmRef> createdEarlier(CreateVmSpec spec) {
        try {
            VmInfo vm = inventory.find(new VmSelector.ByName(spec.name()));
            boolean ours = !spec.markers().isEmpty() && spec.markers().entrySet().stream()
                    .allMatch(m -> m.getValue().equals(vm.extraConfig().get(m.getKey())));
            return ours && spec.folder().equals(vm.folder()) ? Optional.of(vm.ref()) : Optional.empty();
        } catch (VSphereException.NotFound | VSphereException.Ambiguous none) {
            return Optional.empty();
        }
    }

    private VmConfigTypes.VirtualMachineConfigInfo captured(CreateVmSpec spec) {
        try {
            return xml.readDocument(new ByteArrayInputStream(spec.config().vimConfigXml().getBytes(
                    StandardCharsets.UTF_8)), VmConfigTypes.VirtualMachineConfigInfo.class);
        } catch (UnreadableResponseException e) {
            throw new IllegalArgumentException("the captured configuration of '" + spec.config().summary().name()
                    + "' is not a VirtualMachineConfigInfo document: " + e.getMessage(), e);
        }
    }

    private VmConfigTypes.VirtualMachineConfigSpec configSpec(CreateVmSpec spec,
                                                             VmConfigTypes.VirtualMachineConfigInfo info) {
        List<VirtualDevice> devices = info.hardware == null || info.hardware.device == null ? List.of()
                : List.of(info.hardware.device);
        Map<Integer, VirtualDeviceBackingInfo> nicBackings = nicBackings(spec);
        RestoreDeviceSpecs deviceSpecs = new RestoreDeviceSpecs(spec.datastoreName(), spec.storagePolicyId(),
                nicBackings::get);
        return RestoreConfigSpec.of(info, spec.name(), spec.datastoreName(), deviceSpecs.of(devices), spec.markers(),
                spec.storagePolicyId());
    }

    /** Each captured NIC's backing on its network after the request's mapping, resolved in the target datacenter. */
    private Map<Integer, VirtualDeviceBackingInfo> nicBackings(CreateVmSpec spec) {
        List<VmConfigSummary.Nic> nics = spec.config().summary().nics();
        Map<Integer, VirtualDeviceBackingInfo> backings = new HashMap<>();
        if (nics.isEmpty()) {
            return backings;
        }
        NetworkBackings networks = NetworkBackings.inDatacenterOf(properties, spec.folder());
        for (VmConfigSummary.Nic nic : nics) {
            backings.put(nic.key(), networks.backingFor(spec.networkMap().getOrDefault(nic.network(), nic.network())));
        }
        return backings;
    }

    void powerOn(VmRef vm) {
        ManagedObjectReference mor = VSphereSession.mor("VirtualMachine", vm.moref());
        try {
            tasks.run(new TaskWaiter.TaskRun("power on the VM", FaultTranslator.ref(mor), deadlines.powerOn()),
                    (v, content) -> v.powerOnVM_Task(mor, null));
        } catch (VSphereException.InvalidState e) {
            boolean on = inventory.read(vm).map(i -> i.powerState() == PowerState.POWERED_ON).orElse(false);
            if (!on) {
                throw e;
            }
        }
    }

    /** The key server's trouble said plainly, with vCenter's words; any other failure as it was. */
    static VSphereException keyProviderOr(VSphereException failure, VmConfigSummary summary, String name) {
        String text = failure.vCenterMessage().orElse("") + " " + failure.faultType();
        boolean keyTrouble = "EncryptionKeyRequired".equals(failure.faultType())
                || KEY_PROVIDER_TROUBLE.matcher(text).matches();
        if (!keyTrouble) {
            return failure;
        }
        String provider = summary.keyId().map(VmConfigSummary.KeyId::providerId).orElse(null);
        String key = summary.keyId().map(VmConfigSummary.KeyId::keyId).orElse("(unknown)");
        return new VSphereException.KeyProviderUnavailable("vCenter could not get the encryption key " + key
                + (provider == null ? "" : " from key provider '" + provider + "'") + " to create the encrypted VM '"
                + name + "', so nothing was restored" + failure.vCenterMessage().map(t -> " (vCenter said: \"" + t
                + "\")").orElse("") + ". The key server is unreachable or no longer holds the key: check Key Providers"
                + " in vCenter (the provider must be connected and trusted, and hold the key; a replica with the same"
                + " provider name works), then run the restore again.", provider, failure.faultType(),
                failure.vCenterMessage().orElse(null), failure);
    }

    private static VSphereException noResult(String action) {
        return new VSphereException.Fault("vCenter reported success for '" + action + "' but did not name the new VM,"
                + " and no VM with the job's name and marker exists. Look for it in vCenter.", "UnexpectedTaskResult",
                null, false, null);
    }
}
