package io.hotadd.agent.boot;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;

/**
 * The agent's main loop: everything runs in CDI beans started by Quarkus, so the application itself only
 * waits until something asks Quarkus to exit (SIGTERM from systemd, {@link AgentDaemon#stop()} under jsvc).
 */
public final class AgentApplication implements QuarkusApplication {

    @Override
    public int run(String... args) {
        Quarkus.waitForExit();
        return 0;
    }
}
