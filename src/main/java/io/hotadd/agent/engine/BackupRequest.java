package io.hotadd.agent.engine;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.VmSelector;

/** One backup job as the engine sees it. */
public record BackupRequest(String jobId, VmSelector vm, BackupMode mode, boolean quiesce) {
    public BackupRequest {
        if (jobId == null || !jobId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("job id must be 1-64 letters, digits, '.', '_' or '-'; got " + jobId);
        }
    }
}
