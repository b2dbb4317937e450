package io.hotadd.agent.boot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotadd.agent.api.ApiCredentials;
import io.hotadd.agent.api.Cursors;
import io.hotadd.agent.api.JobDocument;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.EngineSettings;
import io.hotadd.agent.engine.Readiness;
import io.hotadd.agent.engine.jobs.CallbackDelivery;
import io.hotadd.agent.engine.jobs.JobEngine;
import io.hotadd.agent.engine.jobs.ProxyStatusReport;
import io.hotadd.agent.engine.jobs.RestorePointCatalog;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.CallbackSender;
import io.hotadd.agent.port.RepositoryMaintenance;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

/** Builds what the API layer needs from configuration: credentials, the cursor key, callbacks, reports. */
@ApplicationScoped
public class ApiProducers {
    static final String CURSOR_KEY = "api-cursor.key";

    @Produces
    @Singleton
    ApiCredentials credentials(AgentConfig c) {
        AgentConfig.Auth auth = c.api().auth();
        Optional<String> hash = auth.tokenSha256().map(String::trim).or(() -> auth.tokenFile().map(f ->
                ApiCredentials.sha256Hex(ApiTlsConfigSourceFactory.readFirstLine(f, "hotadd.api.auth.token-file"))))
                .or(() -> c.api().token().map(t -> ApiCredentials.sha256Hex(t.strip())));
        return new ApiCredentials(hash, c.api().mtls().enabled(), c.api().mtls().allowedSubjects().orElse(List.of()));
    }

    /** The HMAC key of paging cursors: made once in the state directory, so cursors survive a restart. */
    @Produces
    @Singleton
    Cursors cursors(AgentConfig c) {
        Path key = c.stateDir().resolve(CURSOR_KEY);
        try {
            if (!Files.isRegularFile(key)) {
                Files.createDirectories(c.stateDir());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path temp = Files.createTempFile(c.stateDir(), ".cursor-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(temp, fresh);
                Files.move(temp, key, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new Cursors(Files.readAllBytes(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or read the cursor key " + key + "; check that "
                    + "hotadd.state-dir is writable by the agent's user", e);
        }
    }

    @Produces
    @Singleton
    CallbackDelivery callbacks(CallbackSender sender, AgentExecutors threads, ObjectMapper json, AgentConfig c) {
        AgentConfig.Callbacks cb = c.api().callbacks();
        return new CallbackDelivery(sender, threads.callbacks, job -> {
            try {
                return json.writeValueAsBytes(JobDocument.of(job));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a job document always serialises", e);
            }
        }, new CallbackDelivery.Policy(cb.attempts(), cb.initialDelay(), cb.maxDelay(), cb.timeout()));
    }

    @Produces
    @Singleton
    ProxyStatusReport proxyStatus(BackupWorkflow workflow, JobEngine engine, RepositoryMaintenance repository,
                                  Readiness readiness, EngineSettings settings) {
        return new ProxyStatusReport(workflow, engine, repository, readiness, settings);
    }

    @Produces
    @Singleton
    RestorePointCatalog restorePoints(BackupRepository repository) {
        return new RestorePointCatalog(repository);
    }
}
