package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.ws.Argument;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.util.Base64;
import java.util.Calendar;
import java.util.Map;

/**
 * Writes SOAP requests that involve the project's own vim25 types ({@link VimTypeRegistry}).
 *
 * <p>yavijava's {@code XmlGen.toXML} handles every request made of its own classes and stays in use for
 * those, but it looks argument types up in {@code com.vmware.vim25} only and fails with a
 * NullPointerException on {@code "DisabledMethodRequest[]"}. This writer follows the same conventions
 * (superclass fields first, xsi:type when the value's class differs from the declared one, primitives
 * always written) for any class.
 */
final class VimRequestWriter {

    static final String ENVELOPE_START = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
            + " xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\""
            + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>";
    static final String ENVELOPE_END = "</soapenv:Body></soapenv:Envelope>";

    private static final Map<String, Class<?>> JDK_ARGUMENT_TYPES = Map.of(
            "String", String.class, "int", int.class, "long", long.class, "boolean", boolean.class,
            "short", short.class, "byte", byte.class, "float", float.class, "double", double.class,
            "Calendar", Calendar.class);

    private final VimTypeRegistry types;

    VimRequestWriter(VimTypeRegistry types) {
        this.types = types;
    }

    /**
     * Whether some argument is, or contains, a project type or a vim25 fault, so yavijava's serializer cannot
     * write it (a fault is a Throwable, and XmlGen reflects into Throwable's private fields, which Java 17
     * refuses with an error logged per field).
     */
    boolean isNeededFor(Argument[] arguments) {
        for (Argument argument : arguments) {
            Class<?> declared = declaredType(argument.getType());
            Class<?> base = declared.isArray() ? declared.getComponentType() : declared;
            boolean projectDeclared = types.isProjectType(base) && !types.isOverride(base);
            if (projectDeclared || containsProjectObject(argument.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The whole SOAP envelope for one call.
     *
     * @param vimNamespace yavijava's namespace suffix for the method element, e.g. {@code  xmlns="urn:vim25">}
     */
    String write(String method, Argument[] arguments, String vimNamespace) {
        StringBuilder xml = new StringBuilder(512).append(ENVELOPE_START);
        xml.append('<').append(method).append(vimNamespace);
        for (Argument argument : arguments) {
            writeValue(xml, argument.getName(), declaredType(argument.getType()), argument.getValue());
        }
        return xml.append("</").append(method).append('>').append(ENVELOPE_END).toString();
    }

    private Class<?> declaredType(String typeName) {
        if (typeName == null) {
            return Object.class;
        }
        boolean array = typeName.endsWith("[]");
        String base = array ? typeName.substring(0, typeName.length() - 2) : typeName;
        Class<?> type = JDK_ARGUMENT_TYPES.getOrDefault(base, types.resolve(base).orElse(Object.class));
        return array ? type.arrayType() : type;
    }

    private boolean containsProjectObject(Object value) {
        if (value == null) {
            return false;
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            if (type.getComponentType().isPrimitive()) {
                return false;
            }
            for (int i = 0; i < Array.getLength(value); i++) {
                if (containsProjectObject(Array.get(value, i))) {
                    return true;
                }
            }
            return false;
        }
        if (types.isProjectType(type) || value instanceof Throwable) {
            return true;
        }
        if (type.getName().startsWith("java.") || type.isEnum() || value instanceof ManagedObjectReference) {
            return false;
        }
        for (Field field : VimFieldCatalog.inWireOrder(type)) {
            if (!field.getType().isPrimitive() && containsProjectObject(read(field, value))) {
                return true;
            }
        }
        return false;
    }

    private void writeValue(StringBuilder xml, String tag, Class<?> declared, Object value) {
        if (value == null) {
            return;
        }
        Class<?> type = value.getClass();
        if (type.isArray()) {
            writeArray(xml, tag, declared, value);
        } else if (value instanceof ManagedObjectReference mor) {
            xml.append('<').append(tag);
            if (declared != ManagedObjectReference.class) {
                xml.append(" xsi:type=\"ManagedObjectReference\"");
            }
            xml.append(" type=\"").append(escape(mor.type)).append("\">").append(escape(mor.val));
            xml.append("</").append(tag).append('>');
        } else if (XsdValues.isSimple(type) || type.isEnum()) {
            String text = value instanceof Calendar calendar ? XsdValues.formatDateTime(calendar) : value.toString();
            boolean typed = type.isEnum() || type == declared || boxOf(declared) == type;
            xml.append('<').append(tag);
            if (!typed) {
                xml.append(" xsi:type=\"").append(XsdValues.xsdNameOf(type)).append('"');
            }
            xml.append('>').append(escape(text)).append("</").append(tag).append('>');
        } else {
            writeDataObject(xml, tag, declared, value);
        }
    }

    private void writeDataObject(StringBuilder xml, String tag, Class<?> declared, Object value) {
        Class<?> type = value.getClass();
        xml.append('<').append(tag);
        if (type != declared) {
            xml.append(" xsi:type=\"").append(type.getSimpleName()).append('"');
        }
        xml.append('>');
        for (Field field : VimFieldCatalog.inWireOrder(type)) {
            writeValue(xml, VimFieldCatalog.elementName(field), field.getType(), read(field, value));
        }
        xml.append("</").append(tag).append('>');
    }

    private void writeArray(StringBuilder xml, String tag, Class<?> declared, Object array) {
        Class<?> itemDeclared = declared.isArray() ? declared.getComponentType() : Object.class;
        boolean base64Items = array.getClass() == byte[][].class;
        for (int i = 0; i < Array.getLength(array); i++) {
            Object item = Array.get(array, i);
            if (base64Items && item != null) {
                xml.append('<').append(tag).append('>').append(Base64.getEncoder().encodeToString((byte[]) item))
                        .append("</").append(tag).append('>');
            } else if (array.getClass().getComponentType().isPrimitive()) {
                xml.append('<').append(tag).append('>').append(item).append("</").append(tag).append('>');
            } else {
                writeValue(xml, tag, itemDeclared, item);
            }
        }
    }

    private static Object read(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("vim25 field " + field + " is not public", e);
        }
    }

    private static Class<?> boxOf(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Array.get(Array.newInstance(type, 1), 0).getClass();
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
