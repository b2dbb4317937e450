package io.hotadd.agent.domain;

/** A virtual machine's managed object id in vCenter, e.g. {@code vm-42}. */
public record VmRef(String moref) {
    public VmRef {
        if (moref == null || moref.isBlank()) {
            throw new IllegalArgumentException("a VM moref must not be blank");
        }
    }

    @Override
    public String toString() {
        return moref;
    }
}
