package io.hotadd.agent.domain;

import java.time.Instant;
import java.util.List;

/** One node of a VM's snapshot tree. */
public record SnapshotInfo(SnapshotRef ref, String name, String description, Instant createTime, boolean quiesced,
                           List<SnapshotInfo> children) {
    public SnapshotInfo {
        children = List.copyOf(children);
    }
}
