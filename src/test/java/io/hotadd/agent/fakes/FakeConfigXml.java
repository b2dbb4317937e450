package io.hotadd.agent.fakes;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The fake vCenter's XML of a VM's configuration: shaped like vCenter's {@code VirtualMachineConfigInfo}
 * (root {@code config}, namespace {@code urn:vim25}), holding what the summary cannot (extraConfig values,
 * the encryption bundle among them), so the fake's CreateVM reads them back from it as the real adapter does.
 */
final class FakeConfigXml {
    private FakeConfigXml() {
    }

    static String write(FakeVm vm) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><config xmlns=\"urn:vim25\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\""
                + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"VirtualMachineConfigInfo\">");
        element(xml, "name", vm.name);
        element(xml, "guestId", vm.guestId);
        element(xml, "firmware", vm.firmware);
        vm.extraConfig.forEach((key, value) -> xml.append("<extraConfig><key>").append(escape(key))
                .append("</key><value xsi:type=\"xsd:string\">").append(escape(value)).append("</value></extraConfig>"));
        if (vm.keyId != null) {
            xml.append("<keyId><keyId>").append(escape(vm.keyId.keyId())).append("</keyId><providerId><id>")
                    .append(escape(vm.keyId.providerId())).append("</id></providerId></keyId>");
        }
        return xml.append("</config>").toString();
    }

    /** The extraConfig entries of a document {@link #write} made, in order. */
    static Map<String, String> extraConfig(String xml) {
        Map<String, String> entries = new LinkedHashMap<>();
        NodeList options = parse(xml).getElementsByTagNameNS("urn:vim25", "extraConfig");
        for (int i = 0; i < options.getLength(); i++) {
            Element option = (Element) options.item(i);
            entries.put(text(option, "key"), text(option, "value"));
        }
        return entries;
    }

    private static String text(Element parent, String name) {
        return parent.getElementsByTagNameNS("urn:vim25", name).item(0).getTextContent();
    }

    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalArgumentException("not a configuration document of the fake vCenter: " + e, e);
        }
    }

    private static void element(StringBuilder xml, String name, String value) {
        xml.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
