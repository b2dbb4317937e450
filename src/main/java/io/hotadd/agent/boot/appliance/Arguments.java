package io.hotadd.agent.boot.appliance;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Command line of {@link ApplianceConfig}: {@code --ovf-env FILE [--ovf-source TEXT] [--guestinfo FILE]
 * --agent-properties FILE [--network-dir DIR] [--hostname-file FILE] [--root-password-file FILE]
 * [--summary FILE]}, or {@code --list-guestinfo-keys}. Missing input files mean "no such source".
 */
record Arguments(Optional<Path> ovfEnv, String ovfSource, Optional<Path> guestinfo, Path agentProperties,
                 Optional<Path> networkDir, Optional<Path> hostnameFile, Optional<Path> rootPasswordFile,
                 Optional<Path> summary, boolean listGuestinfoKeys) {

    static Arguments parse(String... args) {
        java.util.Map<String, String> given = new java.util.HashMap<>();
        boolean list = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--list-guestinfo-keys")) {
                list = true;
            } else if (name.startsWith("--") && i + 1 < args.length) {
                given.put(name.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + name + "'; see " + Arguments.class);
            }
        }
        if (!list && !given.containsKey("agent-properties")) {
            throw new IllegalArgumentException("--agent-properties FILE is required");
        }
        Arguments parsed = new Arguments(path(given, "ovf-env"), given.getOrDefault("ovf-source", "file"),
                path(given, "guestinfo"), path(given, "agent-properties").orElse(null), path(given, "network-dir"),
                path(given, "hostname-file"), path(given, "root-password-file"), path(given, "summary"), list);
        given.keySet().removeAll(java.util.Set.of("ovf-env", "ovf-source", "guestinfo", "agent-properties",
                "network-dir", "hostname-file", "root-password-file", "summary"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + given.keySet());
        }
        return parsed;
    }

    private static Optional<Path> path(java.util.Map<String, String> given, String name) {
        return Optional.ofNullable(given.get(name)).map(Path::of);
    }
}
