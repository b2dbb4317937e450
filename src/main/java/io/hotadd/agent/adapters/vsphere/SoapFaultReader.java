package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.MethodFault;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Turns a {@code soapenv:Fault} into the vim25 fault object it describes (NotAuthenticated, InvalidState,
 * NoPermission with its privilegeId...), fields filled, with vCenter's text attached as {@link SoapFaultText}.
 *
 * <p>The fault type comes from the detail element's xsi:type or, when absent, from its name
 * ({@code NotAuthenticatedFault} means NotAuthenticated). A type the model lacks becomes a plain
 * {@link MethodFault} and is counted; its fields that MethodFault knows are still read.
 */
final class SoapFaultReader {

    private final VimTypeRegistry types;
    private final VimValueReader values;
    private final SkippedXmlCounter skipped;

    SoapFaultReader(VimTypeRegistry types, VimValueReader values, SkippedXmlCounter skipped) {
        this.types = types;
        this.values = values;
        this.skipped = skipped;
    }

    /** Reads the Fault element the reader is on, up to its END_ELEMENT. */
    MethodFault read(XMLStreamReader r) throws XMLStreamException, UnreadableResponseException {
        String faultCode = null;
        String faultString = null;
        MethodFault fault = null;
        String faultType = null;
        while (VimValueReader.nextChildElement(r)) {
            switch (r.getLocalName()) {
                case "faultcode" -> faultCode = VimValueReader.readText(r).trim();
                case "faultstring" -> faultString = VimValueReader.readText(r).trim();
                case "detail" -> {
                    while (VimValueReader.nextChildElement(r)) {
                        if (fault == null) {
                            faultType = faultTypeName(r);
                            fault = readFault(r, faultType);
                        } else {
                            VimValueReader.skipElement(r);
                        }
                    }
                }
                default -> VimValueReader.skipElement(r);
            }
        }
        if (fault == null) {
            fault = new MethodFault();
        }
        fault.detail = new SoapFaultText(faultCode, faultString, faultType);
        return fault;
    }

    private MethodFault readFault(XMLStreamReader r, String faultType)
            throws XMLStreamException, UnreadableResponseException {
        Class<?> type = types.resolve(faultType).filter(MethodFault.class::isAssignableFrom).orElse(null);
        if (type == null) {
            skipped.unknownType(faultType, "fault read as MethodFault");
            type = MethodFault.class;
        }
        Object fault = values.readDataObject(r, type);
        return fault instanceof MethodFault methodFault ? methodFault : new MethodFault();
    }

    private static String faultTypeName(XMLStreamReader r) {
        String xsiType = r.getAttributeValue(XMLConstants.W3C_XML_SCHEMA_INSTANCE_NS_URI, "type");
        if (xsiType != null) {
            return xsiType.substring(xsiType.indexOf(':') + 1);
        }
        String element = r.getLocalName();
        return element.endsWith("Fault") && element.length() > "Fault".length()
                ? element.substring(0, element.length() - "Fault".length()) : element;
    }
}
