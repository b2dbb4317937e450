package io.hotadd.agent.port;

import io.hotadd.agent.domain.Extent;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import java.util.List;

/** Changed block tracking (QueryChangedDiskAreas). */
public interface ChangedBlockTracking {

    /** The change id that asks for every allocated area instead of changes since an earlier state. */
    String ALL_ALLOCATED = "*";

    /**
     * The areas of a snapshot's disk that changed since {@code changeId} (or all allocated areas for
     * {@link #ALL_ALLOCATED}), sorted and merged. Pages through vCenter's bounded answers until the whole
     * disk is covered. An unknown or reset change id surfaces as a typed error so the caller can fall back
     * to a full read.
     */
    List<Extent> changedAreas(VmRef vm, SnapshotRef snapshot, int diskKey, long capacityBytes, String changeId);
}
