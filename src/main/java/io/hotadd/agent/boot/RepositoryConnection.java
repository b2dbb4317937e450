package io.hotadd.agent.boot;

import jakarta.inject.Singleton;

/**
 * The backup repository, opened on first use by the {@link RepositoryFactory}: a repository that cannot
 * be opened at start (NFS not mounted yet) makes readiness report it, and is tried again on the next use.
 */
@Singleton
public class RepositoryConnection {
    private final RepositoryFactory factory;
    private RepositoryFactory.Opened opened;

    RepositoryConnection(RepositoryFactory factory) {
        this.factory = factory;
    }

    synchronized RepositoryFactory.Opened opened() {
        if (opened == null) {
            opened = factory.open();
        }
        return opened;
    }
}
