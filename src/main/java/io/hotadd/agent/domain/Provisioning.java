package io.hotadd.agent.domain;

/** How a disk's blocks are allocated on the datastore; a restore recreates the same. */
public enum Provisioning {
    THIN, LAZY_ZEROED_THICK, EAGER_ZEROED_THICK;

    public static Provisioning of(boolean thin, boolean eagerlyScrub) {
        return thin ? THIN : eagerlyScrub ? EAGER_ZEROED_THICK : LAZY_ZEROED_THICK;
    }
}
