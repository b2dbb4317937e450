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
                     List<Disk> disks, List<Snapshot> snapshots) {
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
    public record Snapshot(String moref, String name, String parent, java.util.Map<String, String> changeIds) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Inventory(List<Vm> vms, List<Object> hosts, List<Object> datastores) {
        public Vm vm(String nameOrMoref) {
            return vms.stream().filter(v -> v.name().equals(nameOrMoref) || v.moref().equals(nameOrMoref))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no VM " + nameOrMoref));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewDisk(long capacityBytes, Boolean thin, String controller, String mode) {
        public static NewDisk thin(long capacityBytes) {
            return new NewDisk(capacityBytes, true, "pvscsi", "persistent");
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NewVm(String name, String host, String datastore, Boolean cbt, Boolean powerOn,
                        List<NewDisk> disks) {
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
