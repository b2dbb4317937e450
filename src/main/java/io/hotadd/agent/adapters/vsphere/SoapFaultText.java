package io.hotadd.agent.adapters.vsphere;

/**
 * vCenter's words for a SOAP fault (faultcode, faultstring) and the fault type name as sent.
 *
 * <p>It rides on the vim25 fault as its {@code RemoteException.detail} (a public field): yavijava's own
 * way of giving a fault its message, writing {@code Throwable.detailMessage} by reflection, fails on Java 17
 * without {@code --add-opens}. {@code getMessage()} of the vim25 fault therefore reads
 * "null; nested exception is: vCenter fault NotFound: ...".
 */
public final class SoapFaultText extends Exception {

    private static final long serialVersionUID = 1L;

    private final String faultCode;
    private final String faultString;
    private final String faultType;

    SoapFaultText(String faultCode, String faultString, String faultType) {
        super(faultString, null, false, false);
        this.faultCode = faultCode;
        this.faultString = faultString;
        this.faultType = faultType;
    }

    /** The SOAP faultcode, e.g. {@code ServerFaultCode}. */
    public String faultCode() {
        return faultCode;
    }

    /** The SOAP faultstring: vCenter's human-readable text; may be null or empty. */
    public String faultString() {
        return faultString;
    }

    /** The vSphere fault type as sent (xsi:type or detail element name), null if the fault had no detail. */
    public String faultType() {
        return faultType;
    }

    @Override
    public String toString() {
        return "vCenter fault " + (faultType == null ? "(no detail)" : faultType) + ": " + faultString;
    }
}
