package io.hotadd.agent.engine;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.engine.BackupPlanner.Plan;
import java.util.List;

/**
 * What a backup would do, as its pre-flight found: the VM, the disks it would read and how, and the
 * warnings about the disks it leaves out.
 */
public record CheckedBackup(VmInfo target, List<DiskInfo> disks, Plan plan, List<String> warnings) {
    public CheckedBackup {
        disks = List.copyOf(disks);
        warnings = List.copyOf(warnings);
    }
}
