package io.hotadd.agent.domain;

/** Disk controller kinds; HotAdd works only on the SCSI ones. */
public enum ControllerType {
    PVSCSI, LSILOGIC, LSILOGIC_SAS, BUSLOGIC, IDE, SATA, NVME, OTHER;

    public boolean isScsi() {
        return this == PVSCSI || this == LSILOGIC || this == LSILOGIC_SAS || this == BUSLOGIC;
    }
}
