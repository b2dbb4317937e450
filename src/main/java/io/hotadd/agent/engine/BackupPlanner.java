package io.hotadd.agent.engine;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.ChangedBlockTracking;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, per disk, whether this backup reads everything allocated or only what changed since the newest
 * restore point of the VM. A disk is incremental only when that restore point holds the same disk (key,
 * UUID, capacity) with a change id, and CBT is on now; otherwise it is read in full.
 */
public final class BackupPlanner {
    private final BackupRepository repository;

    public BackupPlanner(BackupRepository repository) {
        this.repository = repository;
    }

    /** How one disk is read: the change id to ask vCenter about, and whether the parent's map is the base. */
    public record DiskPlan(DiskInfo disk, String sinceChangeId, boolean startFromParent) {
        public boolean full() {
            return !startFromParent;
        }

        DiskPlan asFull() {
            return new DiskPlan(disk, ChangedBlockTracking.ALL_ALLOCATED, false);
        }
    }

    public record Plan(Optional<RestorePoint> parent, List<DiskPlan> disks, List<String> warnings) {
        public boolean full() {
            return disks.stream().allMatch(DiskPlan::full);
        }

        Plan allFull(String why) {
            List<String> w = new ArrayList<>(warnings);
            w.add(why);
            return new Plan(parent, disks.stream().map(DiskPlan::asFull).toList(), w);
        }
    }

    public Plan plan(VmInfo target, List<DiskInfo> disks, BackupMode mode) {
        Optional<RestorePoint> parent = mode == BackupMode.FULL ? Optional.empty()
                : repository.list(Optional.of(target.instanceUuid())).stream().findFirst();
        if (mode == BackupMode.INCREMENTAL && parent.isEmpty()) {
            throw new PreflightRefused("no-parent", "An incremental backup of VM '" + target.name() + "' was asked for,"
                    + " but it has no earlier restore point in this repository; run a full backup (mode full or auto).");
        }
        List<DiskPlan> plans = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (DiskInfo d : disks) {
            Optional<DiskSummary> before = parent.flatMap(p -> sameDisk(p, d));
            if (before.isPresent() && before.get().changeId() != null && !before.get().changeId().isEmpty()) {
                plans.add(new DiskPlan(d, before.get().changeId(), true));
            } else {
                if (parent.isPresent()) {
                    warnings.add("disk '" + d.label() + "' is not in the previous restore point with a change id "
                            + "(new, resized or CBT was off); it is read in full");
                }
                plans.add(new DiskPlan(d, ChangedBlockTracking.ALL_ALLOCATED, false));
            }
        }
        Plan plan = new Plan(parent, plans, warnings);
        return target.changeTracking() || parent.isEmpty() ? plan
                : plan.allFull("changed block tracking was off on VM '" + target.name()
                        + "'; the agent enabled it, so this backup reads every allocated block");
    }

    private static Optional<DiskSummary> sameDisk(RestorePoint parent, DiskInfo d) {
        return parent.disks().stream().filter(s -> s.key() == d.key() && s.capacityBytes() == d.capacityBytes()
                && (s.uuid() == null || d.uuid() == null || s.uuid().equalsIgnoreCase(d.uuid()))).findFirst();
    }
}
