package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.MethodFault;
import com.vmware.vim25.ws.XmlGen;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * yavijava's deserialization extension point, written from scratch on the JDK's StAX parser and tolerant of
 * vCenter versions newer than yavijava's 6.0 model (see {@link VimValueReader} for the rules).
 *
 * <p>{@link #fromXML} returns the value of the {@code returnval} element(s) as {@code returnType} (a name
 * from yavijava's {@code VimStub}: {@code "RetrieveResult"}, {@code "ManagedObjectReference[]"},
 * {@code "boolean"}, null for void). It throws the vim25 fault ({@link MethodFault}, a RemoteException)
 * for a SOAP fault, and {@link UnreadableResponseException} for anything that is not a complete SOAP
 * envelope. Stateless apart from the shared counter: one instance serves concurrent calls.
 */
public final class TolerantVimDeserializer extends XmlGen {

    private static final String SOAP_ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/";

    /** Return type names VimStub uses for JDK types (one of them misspelt in yavijava itself). */
    private static final Map<String, Class<?>> JDK_RETURN_TYPES = Map.of(
            "String", String.class, "Sring", String.class, "string", String.class, "int", int.class,
            "long", long.class, "boolean", boolean.class, "short", short.class, "Calendar", Calendar.class);

    private final VimTypeRegistry types;
    private final VimValueReader values;
    private final SoapFaultReader faults;

    public TolerantVimDeserializer(VimTypeRegistry types, SkippedXmlCounter skipped) {
        this.types = types;
        this.values = new VimValueReader(types, skipped);
        this.faults = new SoapFaultReader(types, values, skipped);
    }

    @Override
    public Object fromXML(String returnType, InputStream in)
            throws MethodFault, UnreadableResponseException {
        XMLStreamReader r = null;
        try {
            r = newFactory().createXMLStreamReader(in);
            Object value = readEnvelope(r, returnType);
            while (r.hasNext()) {
                r.next(); // read to the end, so a truncated document is noticed even after the returnval
            }
            return value;
        } catch (XMLStreamException e) {
            throw new UnreadableResponseException("the response is not well-formed XML (malformed or truncated): "
                    + e.getMessage(), e);
        } finally {
            close(r);
        }
    }

    /**
     * Reads a standalone vim25 value document (its root element is the value, typed by its xsi:type, such as
     * one {@link ConfigXml#extract} made) as {@code type}, with the same tolerance as responses.
     */
    <T> T readDocument(InputStream in, Class<T> type) throws UnreadableResponseException {
        XMLStreamReader r = null;
        try {
            r = newFactory().createXMLStreamReader(in);
            r.nextTag();
            Object value = values.read(r, type);
            if (!type.isInstance(value)) {
                throw new UnreadableResponseException("the document holds " + (value == null ? "nothing"
                        : value.getClass().getSimpleName()) + ", not " + type.getSimpleName(), null);
            }
            return type.cast(value);
        } catch (XMLStreamException e) {
            throw new UnreadableResponseException("the document is not well-formed XML: " + e.getMessage(), e);
        } finally {
            close(r);
        }
    }

    private Object readEnvelope(XMLStreamReader r, String returnType)
            throws XMLStreamException, MethodFault, UnreadableResponseException {
        r.nextTag();
        expect(r, "Envelope", "a SOAP envelope");
        while (VimValueReader.nextChildElement(r)) {
            if (SOAP_ENVELOPE_NS.equals(r.getNamespaceURI()) && "Body".equals(r.getLocalName())) {
                Object value = readBody(r, returnType);
                VimValueReader.skipElement(r); // rest of the Body, if any
                return value;
            }
            VimValueReader.skipElement(r); // soapenv:Header
        }
        throw new UnreadableResponseException("the SOAP envelope has no Body", null);
    }

    private Object readBody(XMLStreamReader r, String returnType)
            throws XMLStreamException, MethodFault, UnreadableResponseException {
        if (!VimValueReader.nextChildElement(r)) {
            throw new UnreadableResponseException("the SOAP Body is empty", null);
        }
        if (SOAP_ENVELOPE_NS.equals(r.getNamespaceURI()) && "Fault".equals(r.getLocalName())) {
            throw faults.read(r);
        }
        List<Object> returnValues = new ArrayList<>();
        Class<?> itemType = returnType == null ? null : itemTypeOf(returnType);
        while (VimValueReader.nextChildElement(r)) {
            if (itemType != null && "returnval".equals(r.getLocalName())) {
                Object value = values.read(r, itemType);
                if (value != VimValueReader.SKIPPED && value != null) {
                    returnValues.add(value);
                }
            } else {
                VimValueReader.skipElement(r);
            }
        }
        return returnType == null ? null : shape(returnType, itemType, returnValues);
    }

    private static Object shape(String returnType, Class<?> itemType, List<Object> returnValues)
            throws UnreadableResponseException {
        if (returnType.endsWith("[]")) {
            Object array = java.lang.reflect.Array.newInstance(itemType, returnValues.size());
            for (int i = 0; i < returnValues.size(); i++) {
                java.lang.reflect.Array.set(array, i, returnValues.get(i));
            }
            return array;
        }
        if (returnValues.isEmpty()) {
            if (itemType.isPrimitive()) {
                throw new UnreadableResponseException("the response has no returnval of type " + returnType, null);
            }
            return null;
        }
        return returnValues.get(0);
    }

    private Class<?> itemTypeOf(String returnType) throws UnreadableResponseException {
        String name = returnType.endsWith("[]") ? returnType.substring(0, returnType.length() - 2) : returnType;
        Class<?> jdk = JDK_RETURN_TYPES.get(name);
        if (jdk != null) {
            return jdk;
        }
        return types.resolve(name).orElseThrow(() -> new UnreadableResponseException(
                "the agent does not know the return type " + returnType, null));
    }

    private static void expect(XMLStreamReader r, String localName, String what) throws UnreadableResponseException {
        if (!SOAP_ENVELOPE_NS.equals(r.getNamespaceURI()) || !localName.equals(r.getLocalName())) {
            throw new UnreadableResponseException("expected " + what + " but the document starts with <"
                    + r.getName() + ">", null);
        }
    }

    private static XMLInputFactory newFactory() {
        // The JDK's own parser, whatever StAX implementation the classpath offers; no DTDs or entities.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        return factory;
    }

    private static void close(XMLStreamReader r) {
        if (r != null) {
            try {
                r.close();
            } catch (XMLStreamException ignored) {
                // nothing was written; the caller owns the stream
            }
        }
    }
}
