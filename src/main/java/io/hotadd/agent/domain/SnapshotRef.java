package io.hotadd.agent.domain;

/** A snapshot's managed object id in vCenter, e.g. {@code snapshot-17}. */
public record SnapshotRef(String moref) {
    public SnapshotRef {
        if (moref == null || moref.isBlank()) {
            throw new IllegalArgumentException("a snapshot moref must not be blank");
        }
    }

    @Override
    public String toString() {
        return moref;
    }
}
