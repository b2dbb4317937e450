package io.hotadd.agent.adapters.vsphere;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;

/** XML Schema simple values as yavijava models them: String, primitives and their boxes, Calendar, byte[]. */
final class XsdValues {

    static final String XSD_NAMESPACE = "http://www.w3.org/2001/XMLSchema";

    private static final Map<String, Class<?>> BY_XSD_NAME = Map.ofEntries(
            Map.entry("string", String.class), Map.entry("anyURI", String.class), Map.entry("decimal", String.class),
            Map.entry("int", Integer.class), Map.entry("long", Long.class), Map.entry("short", Short.class),
            Map.entry("byte", Byte.class), Map.entry("boolean", Boolean.class), Map.entry("float", Float.class),
            Map.entry("double", Double.class), Map.entry("dateTime", Calendar.class),
            Map.entry("base64Binary", byte[].class));

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(
            int.class, Integer.class, long.class, Long.class, short.class, Short.class, byte.class, Byte.class,
            boolean.class, Boolean.class, float.class, Float.class, double.class, Double.class);

    private XsdValues() {
    }

    /** The Java class for an xsd type name such as {@code int}, or null if unknown. */
    static Class<?> classOfXsdType(String localName) {
        return BY_XSD_NAME.get(localName);
    }

    /** Whether values of this class are written as a single text element. */
    static boolean isSimple(Class<?> type) {
        return type == String.class || type.isPrimitive() || BOXES.containsValue(type)
                || Calendar.class.isAssignableFrom(type) || type == byte[].class;
    }

    /**
     * Parses element text as a value of {@code type} ({@link #isSimple} must hold).
     *
     * @throws IllegalArgumentException (incl. NumberFormatException, DateTimeParseException) on a bad value
     */
    static Object parse(Class<?> type, String text) {
        Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
        String trimmed = text.trim();
        if (boxed == String.class) {
            return text;
        } else if (boxed == Integer.class) {
            return Integer.valueOf(trimmed);
        } else if (boxed == Long.class) {
            return Long.valueOf(trimmed);
        } else if (boxed == Short.class) {
            return Short.valueOf(trimmed);
        } else if (boxed == Byte.class) {
            return Byte.valueOf(trimmed);
        } else if (boxed == Boolean.class) {
            return parseBoolean(trimmed);
        } else if (boxed == Float.class) {
            return Float.valueOf(trimmed);
        } else if (boxed == Double.class) {
            return Double.valueOf(trimmed);
        } else if (boxed == byte[].class) {
            return Base64.getMimeDecoder().decode(trimmed);
        } else if (Calendar.class.isAssignableFrom(boxed)) {
            return parseDateTime(trimmed);
        }
        throw new IllegalArgumentException("not a simple type: " + type.getName());
    }

    /** Whether the text is a decimal xsd:byte, as opposed to base64 data. */
    static boolean isByteNumber(String text) {
        try {
            Byte.parseByte(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The xsd type name to announce an untyped value with, e.g. {@code xsd:int}. */
    static String xsdNameOf(Class<?> type) {
        Class<?> boxed = type.isPrimitive() ? BOXES.get(type) : type;
        for (Map.Entry<String, Class<?>> entry : BY_XSD_NAME.entrySet()) {
            if (entry.getValue() == boxed && !entry.getKey().equals("anyURI") && !entry.getKey().equals("decimal")) {
                return "xsd:" + entry.getKey();
            }
        }
        return Calendar.class.isAssignableFrom(type) ? "xsd:dateTime" : "xsd:string";
    }

    /** xsd:dateTime text for a Calendar, in UTC with milliseconds. */
    static String formatDateTime(Calendar calendar) {
        return calendar.toInstant().atOffset(ZoneOffset.UTC).toString();
    }

    private static Boolean parseBoolean(String text) {
        switch (text) {
            case "true", "1" -> {
                return Boolean.TRUE;
            }
            case "false", "0" -> {
                return Boolean.FALSE;
            }
            default -> throw new IllegalArgumentException("not an xsd:boolean: '" + text + "'");
        }
    }

    private static Calendar parseDateTime(String text) {
        ZonedDateTime time;
        try {
            time = OffsetDateTime.parse(text).toZonedDateTime();
        } catch (DateTimeParseException noOffset) {
            // xsd:dateTime may omit the zone; vCenter means UTC then.
            time = LocalDateTime.parse(text).atZone(ZoneOffset.UTC);
        }
        return GregorianCalendar.from(time);
    }
}
