package io.hotadd.agent.domain;

import java.util.Map;
import java.util.Optional;

/**
 * What the caller asked for, kept with the job so a retried request can be recognised and the job's
 * callback found after a restart.
 *
 * @param mode           backup mode; null for jobs that are not backups
 * @param tags           free labels from the caller, echoed back (e.g. the central server's policy id)
 * @param callbackUrl    where the final job document is POSTed when the job ends, if anywhere
 * @param idempotencyKey the caller's Idempotency-Key header, if it sent one
 * @param fingerprint    a digest of the request body, to tell a retry from a different request with the same key
 */
public record JobRequest(BackupMode mode, boolean quiesce, Map<String, String> tags, Optional<String> callbackUrl,
                         Optional<String> idempotencyKey, String fingerprint) {
    public JobRequest {
        tags = Map.copyOf(tags);
    }
}
