package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ObjectContent;
import com.vmware.vim25.ObjectSpec;
import com.vmware.vim25.PropertyFilterSpec;
import com.vmware.vim25.PropertySpec;
import com.vmware.vim25.RetrieveOptions;
import com.vmware.vim25.RetrieveResult;
import com.vmware.vim25.SelectionSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Questions to vCenter's PropertyCollector: one {@code RetrievePropertiesEx} per question, followed by
 * {@code ContinueRetrievePropertiesEx} while vCenter hands out a continuation token (large results come in
 * pages). Never per-property getters.
 */
final class PropertyReader {

    private final VSphereSession session;

    PropertyReader(VSphereSession session) {
        this.session = session;
    }

    /** Every object the spec selects, with the asked properties, all pages read. */
    List<ObjectProperties> retrieve(String action, String object, PropertyFilterSpec spec) {
        List<ObjectContent> contents = session.call(action, object, (vim, content) -> {
            List<ObjectContent> all = new ArrayList<>();
            RetrieveResult page = vim.retrievePropertiesEx(content.propertyCollector,
                    new PropertyFilterSpec[] {spec}, new RetrieveOptions());
            while (page != null) {
                if (page.objects != null) {
                    all.addAll(List.of(page.objects));
                }
                if (page.token == null || page.token.isEmpty()) {
                    break;
                }
                page = vim.continueRetrievePropertiesEx(content.propertyCollector, page.token);
            }
            return all;
        });
        return contents.stream().map(ObjectProperties::new).toList();
    }

    /** The properties of one object; empty properties (not an error) when vCenter returned nothing for it. */
    ObjectProperties retrieveOne(String action, ManagedObjectReference obj, String... paths) {
        List<ObjectProperties> found = retrieve(action, FaultTranslator.ref(obj), filter(objectSpec(obj),
                propertySpec(obj.type, paths)));
        return found.stream().filter(p -> p.moref().equals(obj.val)).findFirst()
                .orElseGet(() -> new ObjectProperties(emptyContent(obj)));
    }

    static PropertyFilterSpec filter(ObjectSpec object, PropertySpec... properties) {
        PropertyFilterSpec spec = new PropertyFilterSpec();
        spec.objectSet = new ObjectSpec[] {object};
        spec.propSet = properties;
        return spec;
    }

    static ObjectSpec objectSpec(ManagedObjectReference obj, SelectionSpec... traversals) {
        ObjectSpec spec = new ObjectSpec();
        spec.obj = obj;
        spec.skip = false;
        spec.selectSet = traversals.length == 0 ? null : traversals;
        return spec;
    }

    static PropertySpec propertySpec(String type, String... paths) {
        PropertySpec spec = new PropertySpec();
        spec.type = type;
        spec.all = false;
        spec.pathSet = paths;
        return spec;
    }

    private static ObjectContent emptyContent(ManagedObjectReference obj) {
        ObjectContent content = new ObjectContent();
        content.obj = obj;
        return content;
    }
}
