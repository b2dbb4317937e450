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

    /** Adds a ParaVirtual SCSI controller at exactly {@code busNumber}; answers its device key. */
    int addPvscsiController(VmRef proxy, int busNumber);

    /** Creates a small thin disk on a controller so vCenter keeps that controller attached. */
    DiskInfo createDummyDisk(VmRef proxy, int controllerKey, int unitNumber, String fileName, long capacityBytes);

    /** Attaches existing disk files (no file operation), answering the attached disks with keys and UUIDs. */
    List<DiskInfo> attachDisks(VmRef proxy, List<DiskAttachment> disks);

    /** Detaches disks by device key. Never deletes their files; keys no longer present are ignored. */
    void detachDisks(VmRef proxy, List<Integer> deviceKeys);

    /** An existing disk file to hot-add at a given controller and unit. */
    record DiskAttachment(String fileName, int controllerKey, int unitNumber, DiskMode mode, long capacityBytes) {
    }
}
