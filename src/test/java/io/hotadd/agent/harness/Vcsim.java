package io.hotadd.agent.harness;

import java.nio.file.Path;

/**
 * A running vCenter simulator harness, as announced by its {@code VCSIM_READY} line
 * (see docs/vcsim-harness.md). Tests get one from {@link VcsimExtension}.
 */
public record Vcsim(
        String url,
        String sha1,
        String sha256,
        String username,
        String password,
        Path dataDir,
        Path devDir,
        Path byIdDir,
        Path sysfsRoot,
        boolean loop,
        VcsimControl control) {

    /** host:port of the SOAP endpoint, for tests that open their own sockets. */
    public String hostPort() {
        return java.net.URI.create(url).getAuthority();
    }
}
