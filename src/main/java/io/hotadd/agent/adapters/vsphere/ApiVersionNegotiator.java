package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.jboss.logging.Logger;

/**
 * Picks the vSphere API version to speak from what the server offers ({@code /sdk/vimServiceVersions.xml},
 * or {@code about.apiVersion} when that file is not served) and the configured {@link ApiVersionPolicy}.
 */
final class ApiVersionNegotiator {

    /** The oldest version the agent is meant for; older servers are used with a warning. */
    static final String OLDEST_TESTED = "6.5";

    /** What yavijava's model was generated from; used for the first call when nothing is known yet. */
    static final String BASELINE = "6.0";

    private static final Logger LOG = Logger.getLogger(ApiVersionNegotiator.class);

    /** Orders "6.7.3" < "7.0" < "7.0.3.0" numerically, part by part. */
    static final Comparator<String> BY_VERSION = ApiVersionNegotiator::compare;

    private ApiVersionNegotiator() {
    }

    /**
     * The urn:vim25 versions listed in vimServiceVersions.xml (current first, then prior ones); empty if the
     * document is not such a file.
     */
    static List<String> offeredVersions(byte[] vimServiceVersionsXml) {
        List<String> versions = new ArrayList<>();
        try {
            XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            XMLStreamReader r = factory.createXMLStreamReader(new ByteArrayInputStream(vimServiceVersionsXml));
            r.nextTag();
            while (VimValueReader.nextChildElement(r)) {
                if ("namespace".equals(r.getLocalName())) {
                    readNamespace(r, versions);
                } else {
                    VimValueReader.skipElement(r);
                }
            }
        } catch (XMLStreamException e) {
            LOG.debugf("vimServiceVersions.xml is not readable (%s); falling back to about.apiVersion", e.getMessage());
            return List.of();
        }
        return List.copyOf(versions);
    }

    private static void readNamespace(XMLStreamReader r, List<String> versions) throws XMLStreamException {
        String name = null;
        List<String> found = new ArrayList<>();
        while (VimValueReader.nextChildElement(r)) {
            switch (r.getLocalName()) {
                case "name" -> name = VimValueReader.readText(r).trim();
                case "version" -> found.add(VimValueReader.readText(r).trim());
                case "priorVersions" -> {
                    while (VimValueReader.nextChildElement(r)) {
                        found.add(VimValueReader.readText(r).trim());
                    }
                }
                default -> VimValueReader.skipElement(r);
            }
        }
        if ("urn:vim25".equals(name)) {
            versions.addAll(found);
        }
    }

    /**
     * The version to use.
     *
     * @param offered versions the server offers (not empty)
     * @throws VSphereException.InvalidSettings when the policy rules out every offered version
     */
    static String choose(List<String> offered, ApiVersionPolicy policy, String server) {
        String chosen = policy.exactVersion() != null
                ? exact(offered, policy.exactVersion(), server)
                : newest(offered, policy.newestAllowed(), server);
        if (compare(chosen, OLDEST_TESTED) < 0) {
            LOG.warnf("vCenter %s speaks vSphere API %s, older than %s, the oldest the agent is tested with",
                    server, chosen, OLDEST_TESTED);
        }
        return chosen;
    }

    private static String exact(List<String> offered, String wanted, String server) {
        if (offered.contains(wanted)) {
            return wanted;
        }
        String newestOffered = offered.stream().max(BY_VERSION).orElse(BASELINE);
        if (compare(wanted, newestOffered) <= 0 && compare(wanted, BASELINE) >= 0) {
            // Only about.apiVersion was known (no vimServiceVersions.xml): older versions are served too.
            LOG.warnf("vCenter %s does not list API version %s; using it as configured", server, wanted);
            return wanted;
        }
        throw new VSphereException.InvalidSettings("The configured vSphere API version " + wanted + " is not offered"
                + " by vCenter " + server + ", which offers " + offered + ". Configure one of those, or remove the"
                + " setting to use the newest.", null);
    }

    private static String newest(List<String> offered, String cap, String server) {
        Optional<String> best = offered.stream()
                .filter(version -> cap == null || compare(version, cap) <= 0)
                .max(BY_VERSION);
        return best.orElseThrow(() -> new VSphereException.InvalidSettings("vCenter " + server + " offers only"
                + " vSphere API versions " + offered + ", all newer than the configured cap " + cap + ". Raise the"
                + " cap (after checking the agent supports that vCenter) or remove it.", null));
    }

    static int compare(String a, String b) {
        String[] left = a.split("\\.");
        String[] right = b.split("\\.");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            int difference = Long.compare(part(left, i), part(right, i));
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }

    private static long part(String[] parts, int index) {
        if (index >= parts.length) {
            return 0;
        }
        try {
            return Long.parseLong(parts[index].replaceAll("\\D.*$", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
