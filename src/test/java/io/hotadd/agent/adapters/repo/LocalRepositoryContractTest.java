package io.hotadd.agent.adapters.repo;

import java.io.IOException;
import java.nio.file.Files;

/** The contract on a local folder, the embedded default backend. */
class LocalRepositoryContractTest extends RepositoryMaintenanceContract {
    @Override
    protected Storage newStorage() {
        try {
            return new LocalStorage(Files.createTempDirectory(tmp, "repo"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
