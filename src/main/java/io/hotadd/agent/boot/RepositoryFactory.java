package io.hotadd.agent.boot;

import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.RepositoryMaintenance;
import java.nio.file.Path;
import java.util.Optional;

/**
 * INTEGRATION POINT for the backup repository. The real repository ({@code io.hotadd.agent.adapters.repo},
 * {@code PackRepository}) is not on this branch yet. When it is merged, add one CDI bean here in boot that
 * opens it ({@code PackRepository.open(storage, keySource, environment)}) and answers it together with
 * its maintenance side (a small adapter from its {@code verify()} report to
 * {@link RepositoryMaintenance#verifyAll()}, and a write probe for {@link RepositoryMaintenance#status()}).
 *
 * Until then the agent starts, its readiness reports the repository down with this explanation, and
 * backups fail; tests replace the ports with the in-memory repository.
 */
public interface RepositoryFactory {

    Opened open(Settings settings);

    /**
     * @param location       a folder or s3://bucket/prefix
     * @param keyFile        a file of random bytes that opens the repository
     * @param passphraseFile a file holding the passphrase, when there is no key file
     */
    record Settings(String location, Optional<Path> keyFile, Optional<Path> passphraseFile) {
    }

    record Opened(BackupRepository repository, RepositoryMaintenance maintenance) {
    }
}
