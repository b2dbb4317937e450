package io.hotadd.agent.engine;

import java.util.Objects;

/**
 * One restore job as the engine sees it: which restore point, restored where.
 *
 * @param jobId names what the restore creates in vCenter (markers on the new VM), like a backup's job id
 */
public record RestoreRequest(String jobId, String restorePointId, RestoreTarget target) {
    public RestoreRequest {
        if (jobId == null || !jobId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("job id must be 1-64 letters, digits, '.', '_' or '-'; got " + jobId);
        }
        if (restorePointId == null || restorePointId.isBlank()) {
            throw new IllegalArgumentException("a restore needs the id of the restore point to restore");
        }
        Objects.requireNonNull(target, "target");
    }
}
