package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import io.hotadd.agent.port.BackupRepository.RestorePointNotFound;
import java.util.List;
import java.util.Optional;

/** The restore points the API lists, shows and deletes, by the VM's instance UUID (its key in the repository). */
public final class RestorePointCatalog {
    private final BackupRepository repository;

    public RestorePointCatalog(BackupRepository repository) {
        this.repository = repository;
    }

    /** Newest first. */
    public List<RestorePoint> list(Optional<String> vmInstanceUuid) {
        return repository.list(vmInstanceUuid);
    }

    public RestorePoint get(String id) {
        return repository.find(id).orElseThrow(() -> new RestorePointNotFound(id));
    }

    public void delete(String id) {
        repository.delete(id);
    }
}
