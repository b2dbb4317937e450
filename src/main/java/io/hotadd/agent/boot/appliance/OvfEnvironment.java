package io.hotadd.agent.boot.appliance;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * The OVF environment document vSphere hands a deployed VM (DSP0243 section 11): through
 * {@code guestinfo.ovfEnv} (com.vmware.guestInfo transport) or as {@code ovf-env.xml} on a CD (iso transport).
 *
 * <pre>{@code
 * <Environment xmlns="http://schemas.dmtf.org/ovf/environment/1" xmlns:oe="...same..."
 *              xmlns:ve="http://www.vmware.com/schema/ovfenv" oe:id="" ve:vCenterId="vm-42">
 *   <PlatformSection>...</PlatformSection>
 *   <PropertySection><Property oe:key="hotadd.vcenter.url" oe:value="https://vc.example"/></PropertySection>
 *   <ve:EthernetAdapterSection>...</ve:EthernetAdapterSection>
 *   <Entity oe:id="other-vm-of-the-vapp">...</Entity>
 * </Environment>}</pre>
 *
 * Parsed namespace-aware, by namespace URI and local name (prefixes vary between vCenter versions). Only
 * the Environment's own PropertySection counts; {@code Entity} elements describe other VMs of a vApp.
 *
 * @param properties the properties in document order
 * @param vcenterId  {@code ve:vCenterId}, the VM's own managed object id, when vCenter sent it
 */
public record OvfEnvironment(Map<String, String> properties, Optional<String> vcenterId) {

    static final String OVFENV_NS = "http://schemas.dmtf.org/ovf/environment/1";
    static final String VMWARE_NS = "http://www.vmware.com/schema/ovfenv";

    public OvfEnvironment {
        properties = Map.copyOf(properties);
    }

    /** @throws ApplianceConfigException when the document is not an OVF environment */
    public static OvfEnvironment parse(InputStream xml, String source) {
        Element root = parseDocument(xml, source).getDocumentElement();
        if (!OVFENV_NS.equals(root.getNamespaceURI()) || !"Environment".equals(root.getLocalName())) {
            throw new ApplianceConfigException("the OVF environment from " + source + " has root element {"
                    + root.getNamespaceURI() + "}" + root.getLocalName() + ", expected {" + OVFENV_NS
                    + "}Environment");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (isOvfEnv(child, "PropertySection")) {
                readProperties((Element) child, properties, source);
            }
        }
        String id = root.getAttributeNS(VMWARE_NS, "vCenterId");
        return new OvfEnvironment(properties, id.isBlank() ? Optional.empty() : Optional.of(id.trim()));
    }

    private static void readProperties(Element section, Map<String, String> into, String source) {
        for (Node child = section.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!isOvfEnv(child, "Property")) {
                continue;
            }
            Element property = (Element) child;
            if (!property.hasAttributeNS(OVFENV_NS, "key")) {
                throw new ApplianceConfigException("a Property in the OVF environment from " + source
                        + " has no oe:key attribute");
            }
            into.put(property.getAttributeNS(OVFENV_NS, "key"), property.getAttributeNS(OVFENV_NS, "value"));
        }
    }

    private static boolean isOvfEnv(Node node, String localName) {
        return node.getNodeType() == Node.ELEMENT_NODE && OVFENV_NS.equals(node.getNamespaceURI())
                && localName.equals(node.getLocalName());
    }

    /** A namespace-aware parser that refuses DOCTYPEs, so no entity can pull in files or URLs. */
    private static Document parseDocument(InputStream xml, String source) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(xml);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a secure-processing feature", e);
        } catch (SAXException | IOException e) {
            throw new ApplianceConfigException("the OVF environment from " + source + " is not well-formed XML"
                    + " without a DOCTYPE: " + e.getMessage(), e);
        }
    }
}
