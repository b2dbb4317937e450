package io.hotadd.agent.adapters.repo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What prune forgets, and how eagerly it rewrites packs.
 *
 * @param forget        restore point ids to delete
 * @param keepLastPerVm if set, every VM keeps only its newest N restore points
 * @param repackBelow   a pack whose live bytes fall below this fraction of its size is rewritten with only
 *                      its live chunks; above it, dead chunks stay until more of the pack dies
 */
public record PrunePlan(Set<String> forget, OptionalInt keepLastPerVm, double repackBelow) {
    public static final double DEFAULT_REPACK_BELOW = 0.5;

    public PrunePlan {
        forget = Set.copyOf(forget);
        if (repackBelow < 0 || repackBelow > 1) {
            throw new IllegalArgumentException("repackBelow must be a fraction from 0 to 1, was " + repackBelow);
        }
        if (keepLastPerVm.isPresent() && keepLastPerVm.getAsInt() < 1) {
            throw new IllegalArgumentException("keepLastPerVm must be at least 1, was " + keepLastPerVm.getAsInt());
        }
    }

    public static PrunePlan forget(Set<String> ids) {
        return new PrunePlan(ids, OptionalInt.empty(), DEFAULT_REPACK_BELOW);
    }

    public static PrunePlan keepLast(int n) {
        return new PrunePlan(Set.of(), OptionalInt.of(n), DEFAULT_REPACK_BELOW);
    }

    /** Only collects garbage: orphans of crashed writers and dead chunks of earlier forgets. */
    public static PrunePlan collectGarbage() {
        return new PrunePlan(Set.of(), OptionalInt.empty(), DEFAULT_REPACK_BELOW);
    }

    public PrunePlan withRepackBelow(double fraction) {
        return new PrunePlan(forget, keepLastPerVm, fraction);
    }

    /** The restore points of {@code all} to delete. @throws IllegalArgumentException for unknown ids */
    List<PointRecord> select(List<PointRecord> all) {
        Set<String> known = all.stream().map(PointRecord::id).collect(Collectors.toSet());
        Set<String> unknown = new HashSet<>(forget);
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("no restore points " + unknown + " to forget; nothing was deleted");
        }
        List<PointRecord> out = new ArrayList<>(all.stream().filter(p -> forget.contains(p.id())).toList());
        if (keepLastPerVm.isPresent()) {
            Map<String, List<PointRecord>> byVm = all.stream().collect(Collectors.groupingBy(PointRecord::vmKey));
            for (List<PointRecord> vm : byVm.values()) {
                vm.sort(Comparator.comparing(PointRecord::committedAt).thenComparing(PointRecord::id).reversed());
                vm.stream().skip(keepLastPerVm.getAsInt()).filter(p -> !out.contains(p)).forEach(out::add);
            }
        }
        return out;
    }
}
