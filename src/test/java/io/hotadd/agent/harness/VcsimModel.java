package io.hotadd.agent.harness;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** JSON shapes of the harness control API (docs/vcsim-harness.md), as plain records. */
public final class VcsimModel {
    private VcsimModel() {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Vm(String name, String moref, String instanceUuid, String biosUuid, String host,
                     String powerState, boolean template, boolean cbt,
                     @JsonProperty("clone") boolean isClone,
                     List<Disk> disks, List<Snapshot> snapshots, String annotation) {
        public Disk disk(int key) {
            return disks.stream().filter(d -> d.key() == key).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("VM " + name + " has no disk with key " + key));
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Disk(int key, String label, int controllerKey, String controllerType, int bus, int unit,
                       long capacityBytes, String uuid, String fileName, String parentFileName,
                       String changeId, String mode, boolean thin, long allocatedBytes) {
    }

    /** @param changeIds device key → change id at the snapshot ("" when CBT was off) */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Snapshot(String moref, String name, String parent, java.util.Map<String, String> changeIds,
                           String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Inventory(List<Vm> vms, List<Object> hosts, List<Object> datastores) {
        public Vm vm(String nameOrMoref) {
            return vms.stream().filter(v -> v.name().equals(nameOrMoref) || v.moref().equals(nameOrMoref))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no VM " + nameOrMoref));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewDisk(long capacityBytes, Boolean thin, String controller, String mode, Boolean eager) {
        public NewDisk(long capacityBytes, Boolean thin, String controller, String mode) {
            this(capacityBytes, thin, controller, mode, null);
        }

        public static NewDisk thin(long capacityBytes) {
            return new NewDisk(capacityBytes, true, "pvscsi", "persistent");
        }

        /** Thick: lazy-zeroed, or eager-zeroed (zeroed when created). */
        public static NewDisk thick(long capacityBytes, boolean eager) {
            return new NewDisk(capacityBytes, false, "pvscsi", "persistent", eager);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewVm(String name, String host, String datastore, Boolean cbt, Boolean powerOn,
                        List<NewDisk> disks, List<NewNic> nics) {
        public NewVm(String name, String host, String datastore, Boolean cbt, Boolean powerOn, List<NewDisk> disks) {
            this(name, host, datastore, cbt, powerOn, disks, null);
        }
    }

    /** A network adapter on a network (standard or distributed port group) by name; adapter vmxnet3 by default. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewNic(String network, String adapter) {
    }

    /** What POST /vms/{vm}/config sets (null fields are left alone); nvram is base64. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VmConfig(String keyId, String providerId, String encryptionBundle, String firmware, Boolean vtpm,
                           java.util.Map<String, String> extraConfig, String nvram, String guestId, Integer numCpu,
                           Integer memoryMb, java.util.Map<String, String> vAppProperties) {
        public static VmConfig none() {
            return new VmConfig(null, null, null, null, null, null, null, null, null, null, null);
        }

        public VmConfig encrypted(String key, String provider, String bundle) {
            return new VmConfig(key, provider, bundle, firmware, vtpm, extraConfig, nvram, guestId, numCpu, memoryMb,
                    vAppProperties);
        }

        /** UEFI firmware and a virtual TPM. */
        public VmConfig withVtpm() {
            return new VmConfig(keyId, providerId, encryptionBundle, "efi", true, extraConfig, nvram, guestId, numCpu,
                    memoryMb, vAppProperties);
        }

        public VmConfig hardware(String guest, int cpus, int memory, java.util.Map<String, String> extra,
                                 java.util.Map<String, String> vApp) {
            return new VmConfig(keyId, providerId, encryptionBundle, firmware, vtpm, extra, nvram, guest, cpus, memory,
                    vApp);
        }

        public VmConfig withNvram(byte[] content) {
            return new VmConfig(keyId, providerId, encryptionBundle, firmware, vtpm, extraConfig,
                    java.util.Base64.getEncoder().encodeToString(content), guestId, numCpu, memoryMb, vAppProperties);
        }
    }

    /** One recorded SOAP request body (GET /requests). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Request(String method, String object, String at, String body) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DiskHash(String sha256, long capacityBytes, long allocatedBytes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Leftovers(boolean clean, List<Object> proxyDisks, List<Object> clones,
                            List<Object> snapshots, List<Object> disabledMethods) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Violation(String kind, String vm, String disk, String device, String at) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Device(String uuid, String device, String byId, String hctl, int host,
                         boolean readOnly, boolean deletedByGuest) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rescan(int host, String text, String at) {
    }

    /** A fault rule; {@code action} is fault, delay or drop. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FaultRule(Integer id, String method, String object, Integer count, String action,
                            String fault, String message, Boolean inTask, Integer delayMs,
                            Integer remaining, Integer hits) {
        public static FaultRule fault(String method, String faultType, int count) {
            return new FaultRule(null, method, null, count, "fault", faultType, null, null, null, null, null);
        }

        public FaultRule on(String objectMoref) {
            return new FaultRule(id, method, objectMoref, count, action, fault, message, inTask, delayMs,
                    remaining, hits);
        }

        public FaultRule deliveredInTask() {
            return new FaultRule(id, method, object, count, action, fault, message, true, delayMs,
                    remaining, hits);
        }
    }
}
