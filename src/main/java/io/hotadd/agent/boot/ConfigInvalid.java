package io.hotadd.agent.boot;

import io.hotadd.agent.domain.AgentException;
import java.util.List;

/** The agent's configuration cannot work; every problem names its key, the bad value and what is expected. */
public final class ConfigInvalid extends AgentException {
    private static final long serialVersionUID = 1L;

    public ConfigInvalid(List<String> problems) {
        super("The agent's configuration is not usable (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  - " + String.join("\n  - ", problems)
                + "\nFix the keys in /etc/hotadd-agent/agent.properties (or the matching environment variables); "
                + "docs/configuration.md describes each.");
    }

    @Override
    public boolean isRetriable() {
        return false;
    }
}
