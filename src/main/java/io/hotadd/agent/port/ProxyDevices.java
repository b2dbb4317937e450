package io.hotadd.agent.port;

import io.hotadd.agent.domain.DiskInfo;
import io.hotadd.agent.domain.DiskMode;
import io.hotadd.agent.domain.VmRef;
import java.util.List;

/**
 * Reconfiguring the proxy VM's own hardware (ReconfigVM_Task on itself). Callers serialise these calls:
 * vCenter rejects concurrent reconfigurations of one VM.
 */
public interface ProxyDevices {

    /**
     * Adds a ParaVirtual SCSI controller at exactly {@code busNumber} together with a small thin dummy disk at
     * unit 0, in one reconfiguration: a controller without a disk does not stay attached, so the two must
     * never be apart. Answers the dummy disk (its controllerKey is the new controller's key).
     */
    DiskInfo addSpareController(VmRef proxy, int busNumber, String dummyFileName, long dummyBytes);

    /** Attaches existing disk files (no file operation), answering the attached disks with keys and UUIDs. */
    List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks);

    /** Detaches disks by device key. Never deletes their files; keys no longer present are ignored. */
    void detachDisks(VmRef proxy, List<Integer> deviceKeys);

    /** An existing disk file to hot-add at a given controller and unit. */
    record DiskAttachment(String fileName, int controllerKey, int unitNumber, DiskMode mode, long capacityBytes) {
    }
}
