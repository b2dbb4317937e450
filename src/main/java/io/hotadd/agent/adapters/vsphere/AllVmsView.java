package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.TraversalSpec;
import io.hotadd.agent.port.VSphereException;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Properties of every VM in the inventory in one RetrievePropertiesEx (paged by the reader) through a
 * temporary ContainerView from the root folder: what finding a VM by name and the orphan sweep both need,
 * at a few round trips instead of one per VM.
 */
final class AllVmsView {
    private static final Logger LOG = Logger.getLogger(AllVmsView.class);

    private AllVmsView() {
    }

    /** {@code why} names the purpose in errors and in vCenter's view of the session's calls. */
    static List<ObjectProperties> read(VSphereSession session, PropertyReader properties, String why,
                                       String... paths) {
        ManagedObjectReference view = session.call("list all VMs to " + why, "ViewManager",
                (vim, content) -> vim.createContainerView(content.viewManager, content.rootFolder,
                        new String[] {"VirtualMachine"}, true));
        try {
            return properties.retrieve("read all VMs to " + why, FaultTranslator.ref(view),
                            PropertyReader.filter(viewObjects(view), PropertyReader.propertySpec("VirtualMachine",
                                    paths)))
                    .stream().filter(o -> "VirtualMachine".equals(o.ref().type)).toList();
        } finally {
            destroyView(session, view);
        }
    }

    private static ObjectSpec viewObjects(ManagedObjectReference view) {
        TraversalSpec intoView = new TraversalSpec();
        intoView.name = "view";
        intoView.type = "ContainerView";
        intoView.path = "view";
        intoView.skip = false;
        ObjectSpec spec = PropertyReader.objectSpec(view, intoView);
        spec.skip = true; // the view itself has no properties to report
        return spec;
    }

    // a view left behind costs vCenter memory only until the session ends, so failing to drop it is no error
    private static void destroyView(VSphereSession session, ManagedObjectReference view) {
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
