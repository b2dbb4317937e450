package io.hotadd.agent.adapters.vsphere;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * vCenter's own XML of one property value, cut out of a {@code RetrievePropertiesEx} response as a standalone
 * document: every element, attribute and text exactly as vCenter sent it (fields and types yavijava's model
 * lacks included), under a root {@code <config xmlns="urn:vim25" xsi:type="...">} that declares every
 * namespace the value used in scope (xsi:type values such as {@code xsd:string} name prefixes from the
 * envelope). Pure: no I/O.
 */
final class ConfigXml {
    static final String VIM25 = "urn:vim25";
    static final String ROOT = "config";

    private ConfigXml() {
    }

    /**
     * The value of property {@code property} of the first object in the response, as a standalone document.
     *
     * @throws UnreadableResponseException when the body is not XML or holds no such property
     */
    static String extract(byte[] responseBody, String property) throws UnreadableResponseException {
        Document response = parse(responseBody);
        Element val = propertyValue(response, property);
        Document doc = newBuilder().newDocument();
        Element root = doc.createElementNS(VIM25, ROOT);
        doc.appendChild(root);
        root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns", VIM25);
        declareNamespacesInScope(val, root);
        copyAttributes(val, root);
        for (Node child = val.getFirstChild(); child != null; child = child.getNextSibling()) {
            root.appendChild(doc.importNode(child, true));
        }
        return serialize(doc);
    }

    private static Element propertyValue(Document response, String property) throws UnreadableResponseException {
        NodeList propSets = response.getElementsByTagNameNS(VIM25, "propSet");
        for (int i = 0; i < propSets.getLength(); i++) {
            Element propSet = (Element) propSets.item(i);
            Element name = child(propSet, "name");
            Element val = child(propSet, "val");
            if (name != null && val != null && property.equals(name.getTextContent().trim())) {
                return val;
            }
        }
        throw new UnreadableResponseException("the response holds no value of the property '" + property + "'", null);
    }

    private static Element child(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    /** Every xmlns declaration of the value's ancestors (nearest wins), so prefixes in attribute values resolve. */
    private static void declareNamespacesInScope(Element val, Element root) {
        for (Node n = val; n instanceof Element e; n = n.getParentNode()) {
            NamedNodeMap attributes = e.getAttributes();
            for (int i = 0; i < attributes.getLength(); i++) {
                Attr a = (Attr) attributes.item(i);
                boolean declaration = XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI());
                if (declaration && !"xmlns".equals(a.getName()) && !root.hasAttribute(a.getName())) {
                    root.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, a.getName(), a.getValue());
                }
            }
        }
    }

    private static void copyAttributes(Element from, Element to) {
        NamedNodeMap attributes = from.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            if (!XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(a.getNamespaceURI())) {
                to.setAttributeNS(a.getNamespaceURI(), a.getName(), a.getValue());
            }
        }
    }

    private static Document parse(byte[] body) throws UnreadableResponseException {
        try {
            return newBuilder().parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw new UnreadableResponseException("the response is not well-formed XML: " + e.getMessage(), e);
        }
    }

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
        }
    }

    private static String serialize(Document doc) {
        try {
            TransformerFactory factory = TransformerFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write the captured configuration as XML", e);
        }
    }
}
