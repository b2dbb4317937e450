package io.hotadd.agent.boot;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/** The backup repository, opened on first use from {@code hotadd.repository.*} by the {@link RepositoryFactory}. */
@Singleton
public class RepositoryConnection {
    private final AgentConfig config;
    private final Instance<RepositoryFactory> factories;
    private RepositoryFactory.Opened opened;

    RepositoryConnection(AgentConfig config, Instance<RepositoryFactory> factories) {
        this.config = config;
        this.factories = factories;
    }

    synchronized RepositoryFactory.Opened opened() {
        if (opened == null) {
            if (!factories.isResolvable()) {
                throw new IntegrationMissing("This build of the agent has no backup repository (the adapter "
                        + "io.hotadd.agent.adapters.repo is not merged in; see boot.RepositoryFactory), so it cannot "
                        + "store backups.");
            }
            AgentConfig.Repository r = config.repository();
            String location = r.location().orElseThrow(() -> new ConfigInvalid(java.util.List.of(
                    "hotadd.repository.location = (not set): the folder or s3:// URL of the backup repository")));
            if (r.keyFile().isEmpty() && r.passphraseFile().isEmpty()) {
                throw new ConfigInvalid(java.util.List.of("hotadd.repository.key-file = (not set): a key file or "
                        + "hotadd.repository.passphrase-file is needed to open the repository"));
            }
            opened = factories.get().open(new RepositoryFactory.Settings(location, r.keyFile(), r.passphraseFile()));
        }
        return opened;
    }
}
