package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.domain.RepositoryCheck;
import io.hotadd.agent.port.RepositoryMaintenance;
import java.util.List;

/** {@link RepositoryMaintenance} of a {@link PackRepository}: its verify report and a write probe. */
public final class PackRepositoryMaintenance implements RepositoryMaintenance {
    private final PackRepository repository;

    public PackRepositoryMaintenance(PackRepository repository) {
        this.repository = repository;
    }

    @Override
    public RepositoryCheck verifyAll() {
        VerifyReport r = repository.verify();
        List<String> problems = r.problems().stream().map(p -> p.kind() + " " + p.object() + ": " + p.detail()
                + (p.affectedRestorePoints().isEmpty() ? "" : "; restore points affected: "
                + String.join(", ", new java.util.TreeSet<>(p.affectedRestorePoints())))).toList();
        return new RepositoryCheck(r.restorePoints(), r.packsChecked() + r.chunksChecked(), problems);
    }

    @Override
    public Status status() {
        try {
            repository.probeWritable();
            return new Status(repository.location(), true, "open; a lock was written and removed");
        } catch (RuntimeException e) {
            return new Status(repository.location(), false, e.getMessage());
        }
    }
}
