package io.hotadd.agent.engine;

import java.util.List;

/** A finished backup: its restore point, what it read, and what went less than perfectly. */
public record BackupResult(String restorePointId, long bytesRead, boolean full, List<String> warnings) {
    public BackupResult {
        warnings = List.copyOf(warnings);
    }
}
