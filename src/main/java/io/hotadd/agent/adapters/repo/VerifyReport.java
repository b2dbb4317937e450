package io.hotadd.agent.adapters.repo;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What verify found: counts of what it checked, and every problem with the restore points it affects.
 *
 * @param unreferencedPacks packs no index lists (left by a crashed writer or an interrupted prune): not an
 *                          error, the next prune removes them
 */
public record VerifyReport(int restorePoints, long packsChecked, long chunksChecked, int unreferencedPacks,
                           List<Problem> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public enum Kind { DAMAGED_CHUNK, MISSING_CHUNK, DAMAGED_PACK, MISSING_PACK, UNREADABLE_RESTORE_POINT }

    /**
     * @param object  the chunk id, pack id or restore point id concerned
     * @param detail  what failed, and the first place (restore point, disk, offset) that uses it
     * @param affectedRestorePoints every restore point that cannot be restored in full because of it
     */
    public record Problem(Kind kind, String object, String detail, Set<String> affectedRestorePoints) {
        public Problem {
            affectedRestorePoints = Set.copyOf(affectedRestorePoints);
        }
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public Set<String> affectedRestorePoints() {
        Set<String> out = new TreeSet<>();
        problems.forEach(p -> out.addAll(p.affectedRestorePoints()));
        return out;
    }
}
