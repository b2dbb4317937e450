package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.VmCatalog;
import java.util.List;

/**
 * {@link VmCatalog} through a ContainerView of every VM from the root folder and one RetrievePropertiesEx
 * of the properties {@link VmInventory#read} reads (paged by the reader), so a sweep of a large inventory
 * costs a few round trips, not one per VM.
 */
final class YavijavaVmCatalog implements VmCatalog {
    private final VSphereSession session;
    private final PropertyReader properties;

    YavijavaVmCatalog(VSphereSession session, PropertyReader properties) {
        this.session = session;
        this.properties = properties;
    }

    @Override
    public List<VmInfo> allVms() {
        return AllVmsView.read(session, properties, "sweep for orphans", VmProperties.PATHS).stream()
                .map(o -> VmInfoMapper.map(o, null)).toList();
    }
}
