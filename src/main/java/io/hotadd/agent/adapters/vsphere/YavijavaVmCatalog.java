package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.TraversalSpec;
import io.hotadd.agent.domain.VmInfo;
import io.hotadd.agent.port.VSphereException;
import io.hotadd.agent.port.VmCatalog;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * {@link VmCatalog} through a ContainerView of every VM from the root folder and one RetrievePropertiesEx
 * of the properties {@link VmInventory#read} reads (paged by the reader), so a sweep of a large inventory
 * costs a few round trips, not one per VM.
 */
final class YavijavaVmCatalog implements VmCatalog {
    private static final Logger LOG = Logger.getLogger(YavijavaVmCatalog.class);

    private final VSphereSession session;
    private final PropertyReader properties;

    YavijavaVmCatalog(VSphereSession session, PropertyReader properties) {
        this.session = session;
        this.properties = properties;
    }

    @Override
    public List<VmInfo> allVms() {
        ManagedObjectReference view = session.call("list all VMs for the orphan sweep", "ViewManager",
                (vim, content) -> vim.createContainerView(content.viewManager, content.rootFolder,
                        new String[] {"VirtualMachine"}, true));
        try {
            return properties.retrieve("read all VMs for the orphan sweep", FaultTranslator.ref(view),
                            PropertyReader.filter(viewObjects(view),
                                    PropertyReader.propertySpec("VirtualMachine", VmProperties.PATHS)))
                    .stream().filter(o -> "VirtualMachine".equals(o.ref().type))
                    .map(o -> VmInfoMapper.map(o, null)).toList();
        } finally {
            destroyView(view);
        }
    }

    private static ObjectSpec viewObjects(ManagedObjectReference view) {
        TraversalSpec intoView = new TraversalSpec();
        intoView.name = "view";
        intoView.type = "ContainerView";
        intoView.path = "view";
        intoView.skip = false;
        ObjectSpec spec = PropertyReader.objectSpec(view, intoView);
        spec.skip = true;
        return spec;
    }

    private void destroyView(ManagedObjectReference view) {
        try {
            session.call("drop the VM list", FaultTranslator.ref(view), (vim, content) -> {
                vim.destroyView(view);
                return null;
            });
        } catch (VSphereException e) {
            LOG.debugf("Could not destroy the container view %s (%s); it ends with the session", view.val,
                    e.getMessage());
        }
    }
}
