package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.DynamicProperty;
import com.vmware.vim25.InvalidProperty;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.MissingProperty;
import com.vmware.vim25.ObjectContent;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The properties the PropertyCollector returned for one managed object, by path. Array properties arrive
 * wrapped ({@code ArrayOfVirtualDevice}); {@link #array} unwraps them. A property the collector could not
 * read for a reason other than "this vCenter does not know the path" (a missing privilege, say) is an error,
 * raised when the property is asked for.
 */
final class ObjectProperties {

    private final ManagedObjectReference ref;
    private final Map<String, Object> values = new HashMap<>();
    private final Map<String, MissingProperty> unreadable = new HashMap<>();

    ObjectProperties(ObjectContent content) {
        this.ref = content.obj;
        if (content.propSet != null) {
            for (DynamicProperty property : content.propSet) {
                values.put(property.name, property.val);
            }
        }
        if (content.missingSet != null) {
            for (MissingProperty missing : content.missingSet) {
                if (missing.fault != null && !(missing.fault.fault instanceof InvalidProperty)) {
                    unreadable.put(missing.path, missing);
                }
            }
        }
    }

    ManagedObjectReference ref() {
        return ref;
    }

    String moref() {
        return ref.val;
    }

    /** The value at {@code path}, null when unset; {@code type} checks what vCenter sent. */
    <T> T get(String path, Class<T> type) {
        MissingProperty missing = unreadable.get(path);
        if (missing != null) {
            throw FaultTranslator.translate(missing.fault.fault, "read the property '" + path + "'",
                    FaultTranslator.ref(ref), missing.fault.localizedMessage);
        }
        Object value = values.get(path);
        if (value == null || type.isInstance(value)) {
            return type.cast(value);
        }
        throw new IllegalStateException("vCenter sent " + value.getClass().getSimpleName() + " for the property '"
                + path + "' of " + FaultTranslator.ref(ref) + ", not " + type.getSimpleName());
    }

    String string(String path) {
        return get(path, String.class);
    }

    boolean flag(String path) {
        return Boolean.TRUE.equals(get(path, Boolean.class));
    }

    ManagedObjectReference mor(String path) {
        return get(path, ManagedObjectReference.class);
    }

    /** An array property as a list (empty when unset), whether or not it came in an ArrayOf wrapper. */
    <T> List<T> array(String path, Class<T> itemType) {
        Object value = get(path, Object.class);
        if (value == null) {
            return List.of();
        }
        Object array = value.getClass().isArray() ? value : unwrap(value);
        List<T> items = new java.util.ArrayList<>();
        for (int i = 0; i < Array.getLength(array); i++) {
            Object item = Array.get(array, i);
            if (itemType.isInstance(item)) {
                items.add(itemType.cast(item));
            }
        }
        return items;
    }

    /** {@code ArrayOfXxx} has exactly one field, the array. */
    private Object unwrap(Object wrapper) {
        List<Field> fields = VimFieldCatalog.inWireOrder(wrapper.getClass());
        if (fields.size() != 1 || !fields.get(0).getType().isArray()) {
            throw new IllegalStateException("vCenter sent " + wrapper.getClass().getSimpleName() + " where an"
                    + " array was expected (object " + FaultTranslator.ref(ref) + ")");
        }
        try {
            Object array = fields.get(0).get(wrapper);
            return array == null ? new Object[0] : array;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("vim25 field " + fields.get(0) + " is not public", e);
        }
    }
}
