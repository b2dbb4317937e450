package io.hotadd.agent.boot;

import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.RepositoryMaintenance;

/**
 * Opens the backup repository the configuration names, with its maintenance side. The seam where the
 * storage technology is chosen ({@link PackRepositoryFactory} in production); tests replace the ports above
 * it with the in-memory repository instead.
 */
public interface RepositoryFactory {

    Opened open();

    record Opened(BackupRepository repository, RepositoryMaintenance maintenance) {
    }
}
