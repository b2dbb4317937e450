package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.repo.KeySource;
import io.hotadd.agent.adapters.repo.LocalStorage;
import io.hotadd.agent.adapters.repo.PackRepository;
import io.hotadd.agent.adapters.repo.PackRepositoryMaintenance;
import io.hotadd.agent.adapters.repo.RepoConfig;
import io.hotadd.agent.adapters.repo.RepositoryEnvironment;
import io.hotadd.agent.adapters.repo.S3Storage;
import io.hotadd.agent.adapters.repo.Storage;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The pack repository ({@code adapters.repo}) from {@code hotadd.repository.*}: a local or NFS folder, or
 * s3://bucket/prefix/ on the configured S3 server, opened with the key file or passphrase file; created
 * first when {@code init-if-missing} is set and the location holds none.
 */
@Singleton
public class PackRepositoryFactory implements RepositoryFactory {
    private static final Logger LOG = Logger.getLogger(PackRepositoryFactory.class);
    private static final int KDF_ITERATIONS = 600_000;

    private final AgentConfig.Repository config;
    private final AgentExecutors threads;

    PackRepositoryFactory(AgentConfig config, AgentExecutors threads) {
        this.config = config.repository();
        this.threads = threads;
    }

    @Override
    public Opened open() {
        String location = config.location().or(config::path).orElseThrow(() -> new ConfigInvalid(List.of(
                "hotadd.repository.location = (not set): the folder or s3://bucket/prefix/ of the backup repository")));
        KeySource key = key();
        Storage storage = storage(location);
        RepositoryEnvironment env = RepositoryEnvironment.standard(threads.repositoryWorkers, config.parallelism(),
                threads.repositoryTimer);
        PackRepository repo;
        if (!PackRepository.exists(storage) && config.initIfMissing()) {
            LOG.infof("No repository at %s: creating one (hotadd.repository.init-if-missing=true)", location);
            repo = PackRepository.init(storage, key, RepoConfig.defaults().withPackSize(config.packSize()),
                    KDF_ITERATIONS, env);
        } else {
            repo = PackRepository.open(storage, key, env);
        }
        return new Opened(repo, new PackRepositoryMaintenance(repo));
    }

    private KeySource key() {
        if (config.keyFile().isPresent()) {
            return new KeySource.KeyFile(config.keyFile().get());
        }
        if (config.passphraseFile().isPresent()) {
            return new KeySource.Passphrase(ApiTlsConfigSourceFactory.readFirstLine(config.passphraseFile().get(),
                    "hotadd.repository.passphrase-file").toCharArray());
        }
        String passphrase = config.passphrase().orElseThrow(() -> new ConfigInvalid(List.of("hotadd.repository"
                + ".key-file = (not set): a key file, a passphrase file or a passphrase is needed to open the "
                + "repository")));
        return new KeySource.Passphrase(passphrase.strip().toCharArray());
    }

    private Storage storage(String location) {
        if (!location.startsWith("s3://")) {
            return new LocalStorage(Path.of(location));
        }
        URI u = URI.create(location);
        AgentConfig.S3 s3 = config.s3();
        List<String> missing = new ArrayList<>();
        if (s3.endpoint().isEmpty()) {
            missing.add("hotadd.repository.s3.endpoint = (not set): the S3 server for " + location);
        }
        if (s3.accessKeyFile().isEmpty() || s3.secretKeyFile().isEmpty()) {
            missing.add("hotadd.repository.s3.access-key-file / secret-key-file = (not set): S3 credentials");
        }
        if (!missing.isEmpty()) {
            throw new ConfigInvalid(missing);
        }
        String prefix = u.getPath() == null || u.getPath().length() <= 1 ? ""
                : u.getPath().substring(1).replaceAll("/?$", "/");
        return S3Storage.connect(new S3Storage.Settings(URI.create(s3.endpoint().get()), s3.region(), u.getHost(),
                prefix, ApiTlsConfigSourceFactory.readFirstLine(s3.accessKeyFile().get(),
                        "hotadd.repository.s3.access-key-file"),
                ApiTlsConfigSourceFactory.readFirstLine(s3.secretKeyFile().get(), "hotadd.repository.s3.secret-key-file"),
                s3.pathStyle()));
    }
}
