package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Reads one XML element into a yavijava (or project) object by reflection on public fields, tolerating
 * what the 6.0 model does not know.
 *
 * <p>Rules: a field per child element (repeated elements fill array fields); {@code xsi:type} picks the
 * subclass; an unknown xsi:type degrades to the declared type when that is a concrete data class (an
 * unknown device is still a {@code VirtualDevice} with its key and unit number) and is skipped otherwise;
 * unknown fields and enum values are skipped. Every skip is counted in {@link SkippedXmlCounter}.
 * ManagedObjectReference takes its {@code type} from the attribute without namespace, never from
 * {@code xsi:type}, whatever the attribute order.
 *
 * <p>Every read method starts on a START_ELEMENT and ends on its matching END_ELEMENT.
 */
final class VimValueReader {

    /** Returned instead of a value when the element was skipped; distinct from an explicit null. */
    static final Object SKIPPED = new Object();

    private static final ClassValue<Map<String, Object>> ENUM_CONSTANTS = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            Map<String, Object> byWireName = new HashMap<>();
            for (Object constant : type.getEnumConstants()) {
                byWireName.putIfAbsent(((Enum<?>) constant).name(), constant);
            }
            for (Object constant : type.getEnumConstants()) {
                byWireName.put(constant.toString(), constant); // yavijava enums return the wire value
            }
            return Map.copyOf(byWireName);
        }
    };

    private final VimTypeRegistry types;
    private final SkippedXmlCounter skipped;

    VimValueReader(VimTypeRegistry types, SkippedXmlCounter skipped) {
        this.types = types;
        this.skipped = skipped;
    }

    /** Reads the current element as a value of {@code declared} (or the subclass its xsi:type names). */
    Object read(XMLStreamReader r, Class<?> declared) throws XMLStreamException, UnreadableResponseException {
        if ("true".equals(r.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "nil"))) {
            skipElement(r);
            return null;
        }
        Class<?> target = targetType(r, declared);
        if (target == null) {
            skipElement(r);
            return SKIPPED;
        }
        if (target == ManagedObjectReference.class) {
            return readManagedObjectReference(r);
        } else if (target.isEnum()) {
            return readEnum(r, target);
        } else if (XsdValues.isSimple(target)) {
            return readSimple(r, target);
        } else if (target == Object.class) {
            return readUntyped(r);
        } else if (target.isArray()) {
            return readArrayOf(r, target.getComponentType());
        }
        return readDataObject(r, target);
    }

    /** Reads a data object: one field per child element. Also used for SOAP fault details. */
    Object readDataObject(XMLStreamReader r, Class<?> type) throws XMLStreamException, UnreadableResponseException {
        Object object = instantiate(type);
        if (object == null) {
            skipped.unknownType(type.getSimpleName(), "cannot be instantiated, element skipped");
            skipElement(r);
            return SKIPPED;
        }
        Map<Field, List<Object>> arrayFields = new LinkedHashMap<>();
        while (nextChildElement(r)) {
            Field field = VimFieldCatalog.byElement(type, r.getLocalName());
            if (field == null) {
                skipped.unknownField(type, r.getLocalName());
                skipElement(r);
            } else if (field.getType().isArray()) {
                readArrayElement(r, field, arrayFields);
            } else {
                setField(object, field, read(r, field.getType()));
            }
        }
        for (Map.Entry<Field, List<Object>> entry : arrayFields.entrySet()) {
            setField(object, entry.getKey(), toArray(entry.getKey().getType().getComponentType(), entry.getValue()));
        }
        return object;
    }

    private void readArrayElement(XMLStreamReader r, Field field, Map<Field, List<Object>> arrayFields)
            throws XMLStreamException, UnreadableResponseException {
        List<Object> items = arrayFields.computeIfAbsent(field, f -> new ArrayList<>());
        if (field.getType() == byte[].class) {
            // vim25 byte[] is either repeated xsd:byte elements or one xsd:base64Binary element.
            String text = readText(r);
            if (XsdValues.isByteNumber(text)) {
                items.add(Byte.valueOf(text.trim()));
            } else {
                for (byte b : (byte[]) parseSimple(byte[].class, text, r)) {
                    items.add(b);
                }
            }
            return;
        }
        Object item = read(r, field.getType().getComponentType());
        if (item != SKIPPED && item != null) {
            items.add(item);
        }
    }

    private Class<?> targetType(XMLStreamReader r, Class<?> declared) {
        String xsiType = r.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "type");
        if (xsiType == null) {
            return types.overrideOf(declared);
        }
        if (declared != Object.class && (XsdValues.isSimple(declared) || declared.isEnum())) {
            return declared; // a simple field's own type is at least as precise as xsd:int etc.
        }
        int colon = xsiType.indexOf(':');
        String local = xsiType.substring(colon + 1);
        String namespace = colon < 0 ? null : r.getNamespaceURI(xsiType.substring(0, colon));
        if (XsdValues.XSD_NAMESPACE.equals(namespace) || xsiType.startsWith("xsd:")) {
            Class<?> simple = XsdValues.classOfXsdType(local);
            return simple != null ? simple : unknownType(xsiType, declared);
        }
        Class<?> named = types.resolve(local).orElse(null);
        if (named != null && (declared == Object.class || declared.isAssignableFrom(named))) {
            return named;
        }
        if (named == null && local.startsWith("ArrayOf")) {
            Class<?> item = arrayItemType(local.substring("ArrayOf".length()));
            if (item != null) {
                return item.arrayType();
            }
        }
        return unknownType(xsiType, declared);
    }

    private Class<?> arrayItemType(String itemName) {
        Class<?> simple = XsdValues.classOfXsdType(Character.toLowerCase(itemName.charAt(0)) + itemName.substring(1));
        return simple != null ? simple : types.resolve(itemName).orElse(null);
    }

    private Class<?> unknownType(String xsiType, Class<?> declared) {
        boolean fallBack = declared != Object.class && !declared.isInterface()
                && !Modifier.isAbstract(declared.getModifiers());
        skipped.unknownType(xsiType, fallBack ? "read as " + declared.getSimpleName() : "element skipped");
        return fallBack ? declared : null;
    }

    private Object readArrayOf(XMLStreamReader r, Class<?> itemType)
            throws XMLStreamException, UnreadableResponseException {
        List<Object> items = new ArrayList<>();
        while (nextChildElement(r)) {
            Object item = read(r, itemType);
            if (item != SKIPPED && item != null) {
                items.add(item);
            }
        }
        return toArray(itemType, items);
    }

    private static ManagedObjectReference readManagedObjectReference(XMLStreamReader r) throws XMLStreamException {
        ManagedObjectReference mor = new ManagedObjectReference();
        for (int i = 0; i < r.getAttributeCount(); i++) {
            String namespace = r.getAttributeNamespace(i);
            if ("type".equals(r.getAttributeLocalName(i)) && (namespace == null || namespace.isEmpty())) {
                mor.type = r.getAttributeValue(i);
            }
        }
        mor.val = readText(r).trim();
        return mor;
    }

    private Object readEnum(XMLStreamReader r, Class<?> enumType) throws XMLStreamException {
        String text = readText(r).trim();
        Object constant = ENUM_CONSTANTS.get(enumType).get(text);
        if (constant == null) {
            skipped.unknownEnumValue(enumType, text);
            return SKIPPED;
        }
        return constant;
    }

    private Object readSimple(XMLStreamReader r, Class<?> type) throws XMLStreamException, UnreadableResponseException {
        return parseSimple(type, readText(r), r);
    }

    private static Object parseSimple(Class<?> type, String text, XMLStreamReader r)
            throws UnreadableResponseException {
        try {
            return XsdValues.parse(type, text);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new UnreadableResponseException("element <" + r.getLocalName() + "> holds '" + abbreviate(text)
                    + "', which is not a valid " + type.getSimpleName(), e);
        }
    }

    private Object readUntyped(XMLStreamReader r) throws XMLStreamException {
        TextContent content = readTextContent(r);
        if (content.hadChildren()) {
            skipped.unknownType("(untyped structure)", "element skipped");
            return SKIPPED;
        }
        return content.text();
    }

    private void setField(Object object, Field field, Object value) {
        if (value == SKIPPED || (value == null && field.getType().isPrimitive())) {
            return;
        }
        try {
            field.set(object, value);
        } catch (IllegalArgumentException | IllegalAccessException e) {
            // e.g. a newer vCenter sending a different type for a known field: keep the rest of the object
            String actual = value == null ? "null" : value.getClass().getSimpleName();
            skipped.unknownField(field.getDeclaringClass(), field.getName() + "(as " + actual + ")");
        }
    }

    private static Object toArray(Class<?> itemType, List<Object> items) {
        List<Object> usable = itemType.isPrimitive() ? items.stream().filter(i -> i != null).toList() : items;
        Object array = Array.newInstance(itemType, usable.size());
        for (int i = 0; i < usable.size(); i++) {
            Array.set(array, i, usable.get(i));
        }
        return array;
    }

    private static Object instantiate(Class<?> type) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return null;
        }
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Moves to the next child START_ELEMENT (true) or to the parent's END_ELEMENT (false). */
    static boolean nextChildElement(XMLStreamReader r) throws XMLStreamException {
        while (true) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                return true;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                return false;
            }
        }
    }

    /** The text directly inside the current element; nested elements (unexpected there) are skipped. */
    static String readText(XMLStreamReader r) throws XMLStreamException {
        return readTextContent(r).text();
    }

    private record TextContent(String text, boolean hadChildren) {
    }

    private static TextContent readTextContent(XMLStreamReader r) throws XMLStreamException {
        StringBuilder text = new StringBuilder();
        boolean hadChildren = false;
        int depth = 1;
        while (depth > 0) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                hadChildren = true;
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (depth == 1 && (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA)) {
                text.append(r.getText());
            }
        }
        return new TextContent(text.toString(), hadChildren);
    }

    /** Skips the current element and everything in it. */
    static void skipElement(XMLStreamReader r) throws XMLStreamException {
        readText(r);
    }

    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
