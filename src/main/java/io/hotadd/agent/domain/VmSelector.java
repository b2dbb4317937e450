package io.hotadd.agent.domain;

/** How a caller names a VM: exactly one of moref, instance UUID, BIOS UUID or inventory name. */
public sealed interface VmSelector {
    /** Human-readable, for error messages. */
    String describe();

    record ByMoref(VmRef ref) implements VmSelector {
        public String describe() {
            return "VM " + ref.moref();
        }
    }

    record ByInstanceUuid(String uuid) implements VmSelector {
        public String describe() {
            return "VM with instance UUID " + uuid;
        }
    }

    record ByBiosUuid(String uuid) implements VmSelector {
        public String describe() {
            return "VM with BIOS UUID " + uuid;
        }
    }

    record ByName(String name) implements VmSelector {
        public String describe() {
            return "VM named '" + name + "'";
        }
    }
}
