package io.hotadd.agent.adapters.vsphere;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire fields of vim25 data classes (yavijava's and the project's): public, non-static, non-transient
 * fields, superclass fields first (wire order; a project field marked {@link WireAfter} where the newer schema
 * has it), up to but excluding JDK classes, so a fault's {@code Throwable} internals are never touched.
 *
 * <p>yavijava names fields that would be Java keywords with a leading underscore ({@code ArrayOfInt._int}
 * for {@code <int>}); lookups by element name find those too.
 */
final class VimFieldCatalog {

    private record Entry(List<Field> ordered, Map<String, Field> byElement) {
    }

    private static final ClassValue<Entry> ENTRIES = new ClassValue<>() {
        @Override
        protected Entry computeValue(Class<?> type) {
            return scan(type);
        }
    };

    private VimFieldCatalog() {
    }

    /** The field an element of this name maps to, or null if the class has none. */
    static Field byElement(Class<?> type, String elementName) {
        return ENTRIES.get(type).byElement().get(elementName);
    }

    /** All wire fields, superclass fields first, each class's fields in declaration order. */
    static List<Field> inWireOrder(Class<?> type) {
        return ENTRIES.get(type).ordered();
    }

    /** The element name a field is written as. */
    static String elementName(Field field) {
        String name = field.getName();
        return name.startsWith("_") ? name.substring(1) : name;
    }

    private static Entry scan(Class<?> type) {
        Deque<Class<?>> lineage = new ArrayDeque<>();
        for (Class<?> c = type; c != null && !c.getName().startsWith("java."); c = c.getSuperclass()) {
            lineage.push(c);
        }
        List<Field> ordered = new ArrayList<>();
        Map<String, Field> byElement = new HashMap<>();
        for (Class<?> c : lineage) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isPublic(modifiers) && !Modifier.isStatic(modifiers) && !Modifier.isTransient(modifiers)) {
                    place(ordered, field);
                    byElement.put(elementName(field), field);
                }
            }
        }
        return new Entry(List.copyOf(ordered), Map.copyOf(byElement));
    }

    /** At the end, or right after the field its {@link WireAfter} names (if that field is there). */
    private static void place(List<Field> ordered, Field field) {
        WireAfter after = field.getAnnotation(WireAfter.class);
        if (after != null) {
            for (int i = 0; i < ordered.size(); i++) {
                if (elementName(ordered.get(i)).equals(after.value())) {
                    ordered.add(i + 1, field);
                    return;
                }
            }
        }
        ordered.add(field);
    }
}
