package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where vCenter is and how to talk to it. Plain data: the boot layer builds it from configuration.
 *
 * @param sdkUrl the SDK endpoint; {@code https://vc.example.com} is completed to {@code .../sdk}
 * @param connectTimeout how long to wait for a TCP+TLS connection
 * @param readTimeout the longest a single SOAP call may take, request to last byte of the answer
 */
public record VSphereSettings(URI sdkUrl, ServerTrust trust, Duration connectTimeout, Duration readTimeout,
                              ApiVersionPolicy apiVersion) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(120);

    public VSphereSettings {
        Objects.requireNonNull(trust, "trust");
        Objects.requireNonNull(apiVersion, "apiVersion");
        sdkUrl = normalize(sdkUrl);
        requirePositive(connectTimeout, "connect timeout");
        requirePositive(readTimeout, "read timeout");
    }

    /** Settings with the default timeouts and the newest API version the server offers. */
    public static VSphereSettings of(String url, ServerTrust trust) {
        return new VSphereSettings(parse(url), trust, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT,
                ApiVersionPolicy.newestSupported());
    }

    public VSphereSettings withTimeouts(Duration connect, Duration read) {
        return new VSphereSettings(sdkUrl, trust, connect, read, apiVersion);
    }

    public VSphereSettings withApiVersion(ApiVersionPolicy policy) {
        return new VSphereSettings(sdkUrl, trust, connectTimeout, readTimeout, policy);
    }

    private static URI parse(String url) {
        try {
            return URI.create(url == null ? "" : url.trim());
        } catch (IllegalArgumentException e) {
            throw new VSphereException.InvalidSettings("The vCenter URL '" + url + "' is not a valid URL: "
                    + e.getMessage() + ". Use https://<vcenter-host>/sdk.", e);
        }
    }

    private static URI normalize(URI url) {
        if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new VSphereException.InvalidSettings("The vCenter URL '" + url + "' is not usable: the agent only"
                    + " talks to vCenter over https. Use https://<vcenter-host>/sdk.", null);
        }
        String path = url.getPath() == null || url.getPath().isEmpty() || url.getPath().equals("/")
                ? "/sdk" : url.getPath().replaceAll("/+$", "");
        return URI.create(url.getScheme() + "://" + url.getRawAuthority() + path);
    }

    private static void requirePositive(Duration timeout, String what) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new VSphereException.InvalidSettings("The vCenter " + what + " must be positive, not " + timeout
                    + "; the defaults are " + DEFAULT_CONNECT_TIMEOUT.toSeconds() + " s (connect) and "
                    + DEFAULT_READ_TIMEOUT.toSeconds() + " s (read).", null);
        }
    }
}
