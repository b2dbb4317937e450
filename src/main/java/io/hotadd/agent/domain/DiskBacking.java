package io.hotadd.agent.domain;

/** What stores a virtual disk's blocks. Only VMDK-backed disks (flat, sparse, SE sparse) can be hot-added. */
public enum DiskBacking {
    FLAT, RDM_VIRTUAL, RDM_PHYSICAL, OTHER;

    public boolean canHotAdd() {
        return this == FLAT || this == RDM_VIRTUAL;
    }
}
