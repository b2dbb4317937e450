package io.hotadd.agent.engine;

import io.hotadd.agent.domain.VmSelector;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** Where a restore goes: a new VM, disks of an existing powered-off VM, or a raw image file. */
public sealed interface RestoreTarget {

    /**
     * A new VM created from the restore point's captured configuration, with new disks of the original
     * provisioning. Placement fields are vCenter morefs; an empty one means "where the source VM was".
     *
     * @param folder          VM folder, e.g. {@code group-v3}
     * @param resourcePool    resource pool, e.g. {@code resgroup-8}
     * @param host            host to place it on; empty lets vCenter choose within the pool
     * @param datastore       datastore for its files and disks, e.g. {@code datastore-11}
     * @param networkMap      source network name to target network name; unmapped NICs keep their network
     * @param storagePolicyId SPBM profile id for the VM and its disks; required for an encrypted source (an
     *                        encryption policy), since vSphere keeps policies outside the configuration
     * @param powerOn         power the VM on once restored
     */
    record NewVm(String name, Optional<String> folder, Optional<String> resourcePool, Optional<String> host,
                 Optional<String> datastore, Map<String, String> networkMap, Optional<String> storagePolicyId,
                 boolean powerOn) implements RestoreTarget {
        public NewVm {
            if (name == null || name.isBlank() || name.length() > 80) {
                throw new IllegalArgumentException("the new VM's name must be 1-80 characters; got '" + name + "'");
            }
            networkMap = Map.copyOf(networkMap);
        }
    }

    /**
     * Disks of an existing VM, overwritten with the restore point's disks. The VM must be powered off.
     *
     * @param disks which restore point disk goes onto which of the VM's disks (device keys)
     */
    record ExistingVm(VmSelector vm, List<DiskMapping> disks) implements RestoreTarget {
        public ExistingVm {
            Objects.requireNonNull(vm, "vm");
            disks = List.copyOf(disks);
            if (disks.isEmpty()) {
                throw new IllegalArgumentException("name at least one disk to restore into " + vm.describe());
            }
            Set<Integer> sources = new HashSet<>();
            Set<Integer> targets = new HashSet<>();
            for (DiskMapping d : disks) {
                if (!sources.add(d.sourceKey()) || !targets.add(d.targetKey())) {
                    throw new IllegalArgumentException("each disk may appear once on each side of the mapping; "
                            + "got " + disks);
                }
            }
        }
    }

    /** The restore point's disk {@code sourceKey} onto the target VM's disk {@code targetKey}. */
    record DiskMapping(int sourceKey, int targetKey) {
    }

    /** One disk as a raw image file (sparse: holes stay holes). The file must not exist yet. */
    record Image(Path path, int diskKey) implements RestoreTarget {
        public Image {
            Objects.requireNonNull(path, "path");
        }
    }
}
