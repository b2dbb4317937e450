package io.hotadd.agent.adapters.vsphere;

/**
 * Which vSphere API version the agent speaks (SOAPAction {@code urn:vim25/<version>}).
 *
 * <p>The default is the newest version the server offers: vCenter then sends everything it knows (e.g.
 * {@code config.keyId} of encrypted VMs, which a 6.0 request would not get), and the tolerant deserializer
 * skips what the model lacks. A cap keeps the agent on versions it was tested with; an exact version is
 * for working around a server bug.
 *
 * @param exactVersion use exactly this version (must be offered by the server), or null
 * @param newestAllowed the newest version to choose automatically, or null for no cap
 */
public record ApiVersionPolicy(String exactVersion, String newestAllowed) {

    public static ApiVersionPolicy newestSupported() {
        return new ApiVersionPolicy(null, null);
    }

    public static ApiVersionPolicy newestUpTo(String newestAllowed) {
        return new ApiVersionPolicy(null, newestAllowed);
    }

    public static ApiVersionPolicy exactly(String version) {
        return new ApiVersionPolicy(version, null);
    }
}
