package io.hotadd.agent.adapters.vsphere;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** SOAP bodies shaped like vCenter 7's, for parser tests and the WireMock vCenter. */
final class SoapFixtures {

    static final String GOLDEN_VM = "/golden/vsphere/retrieve-properties-ex-vm-vcenter7.xml";

    private SoapFixtures() {
    }

    static String envelope(String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<soapenv:Envelope"
                + " xmlns:soapenc=\"http://schemas.xmlsoap.org/soap/encoding/\""
                + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\""
                + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<soapenv:Body>\n"
                + body + "\n</soapenv:Body>\n</soapenv:Envelope>";
    }

    static String response(String method, String returnvals) {
        return envelope("<" + method + "Response xmlns=\"urn:vim25\">" + returnvals + "</" + method + "Response>");
    }

    /** A fault as vCenter writes it: detail element {@code <Type>Fault} with xsi:type. */
    static String fault(String type, String fields, String faultString) {
        return envelope("<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>" + faultString
                + "</faultstring><detail><" + type + "Fault xmlns=\"urn:vim25\" xsi:type=\"" + type + "\">" + fields
                + "</" + type + "Fault></detail></soapenv:Fault>");
    }

    static String notAuthenticated() {
        return fault("NotAuthenticated",
                "<object type=\"Folder\">group-d1</object><privilegeId>System.View</privilegeId>",
                "The session is not authenticated.");
    }

    /** vCenter 7.0.3's ServiceContent, with managers yavijava 6.0 does not know. */
    static String serviceContent() {
        return response("RetrieveServiceContent", "<returnval>"
                + "<rootFolder type=\"Folder\">group-d1</rootFolder>"
                + "<propertyCollector type=\"PropertyCollector\">propertyCollector</propertyCollector>"
                + "<viewManager type=\"ViewManager\">ViewManager</viewManager>"
                + "<about><name>VMware vCenter Server</name>"
                + "<fullName>VMware vCenter Server 7.0.3 build-20150588</fullName>"
                + "<vendor>VMware, Inc.</vendor><version>7.0.3</version><patchLevel></patchLevel>"
                + "<build>20150588</build>"
                + "<localeVersion>INTL</localeVersion><localeBuild>000</localeBuild><osType>linux-x64</osType>"
                + "<productLineId>vpx</productLineId><apiType>VirtualCenter</apiType><apiVersion>7.0.3.0</apiVersion>"
                + "<instanceUuid>7a1f0c2e-8e44-4c55-9f0e-4b2d9f3f1a10</instanceUuid>"
                + "<licenseProductName>VMware VirtualCenter Server</licenseProductName>"
                + "<licenseProductVersion>7.0</licenseProductVersion></about>"
                + "<setting type=\"OptionManager\">VpxSettings</setting>"
                + "<userDirectory type=\"UserDirectory\">UserDirectory</userDirectory>"
                + "<sessionManager type=\"SessionManager\">SessionManager</sessionManager>"
                + "<authorizationManager type=\"AuthorizationManager\">AuthorizationManager</authorizationManager>"
                + "<taskManager type=\"TaskManager\">TaskManager</taskManager>"
                + "<cryptoManager type=\"CryptoManagerKmip\">CryptoManager</cryptoManager>"
                + "<vStorageObjectManager type=\"VcenterVStorageObjectManager\">VStorageObjectManager"
                + "</vStorageObjectManager>"
                + "<healthUpdateManager type=\"HealthUpdateManager\">HealthUpdateManager</healthUpdateManager>"
                + "</returnval>");
    }

    static String userSession(String user) {
        return response("Login", "<returnval><key>52b4f2c1-6d7e-2a3b-9c8d-1e2f3a4b5c6d</key><userName>" + user
                + "</userName><fullName>Backup Agent</fullName><loginTime>2023-03-14T09:00:01.25Z</loginTime>"
                + "<lastActiveTime>2023-03-14T09:00:01.25Z</lastActiveTime><locale>en</locale>"
                + "<messageLocale>en</messageLocale><extensionSession>false</extensionSession>"
                + "<ipAddress>10.0.0.17</ipAddress><userAgent>hotadd-agent</userAgent><callCount>0</callCount>"
                + "</returnval>");
    }

    static String empty(String method) {
        return response(method, "");
    }

    static String vimServiceVersions() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<namespaces version=\"1.0\">\n <namespace>\n"
                + "  <name>urn:vim25</name>\n  <version>7.0.3.0</version>\n  <priorVersions>\n"
                + "   <version>7.0.2.0</version>\n   <version>7.0.1.0</version>\n   <version>7.0.0.0</version>\n"
                + "   <version>6.7.3</version>\n   <version>6.7</version>\n   <version>6.5</version>\n"
                + "   <version>6.0</version>\n  </priorVersions>\n </namespace>\n"
                + " <namespace>\n  <name>urn:vim2</name>\n  <version>2.5</version>\n </namespace>\n</namespaces>\n";
    }

    static String golden(String resource) {
        try (InputStream in = SoapFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
