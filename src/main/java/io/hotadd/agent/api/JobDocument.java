package io.hotadd.agent.api;

import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobDisk;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobProgress;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.domain.RepositoryCheck;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as the API shows it (GET /jobs/{id}, the job list, server-sent events, callbacks). Fields that do
 * not apply yet are null, never left out, so clients can rely on the shape.
 */
@Schema(name = "Job")
public record JobDocument(
        @Schema(example = "20300101-120000-3f9a1c2b") String id,
        JobType type,
        @Schema(description = "The VM, as resolved when the job was accepted; null for VERIFY jobs") Vm vm,
        JobState state,
        @Schema(description = "Where the workflow is; cleanup phases always run in the same order") JobPhase phase,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        @Schema(description = "Backup mode asked for: auto, full or incremental; null for VERIFY jobs") String mode,
        boolean quiesce,
        Map<String, String> tags,
        Progress progress,
        List<Disk> disks,
        List<String> warnings,
        @Schema(description = "Why the job did not succeed; null otherwise") Error error,
        String restorePointId,
        @Schema(description = "What a VERIFY job found") Verification verification) {

    @Schema(name = "JobVm")
    public record Vm(String moref, String name, String instanceUuid) {
    }

    @Schema(name = "JobProgress")
    public record Progress(long bytesTotal, long bytesDone, long rateBytesPerSec,
                           @Schema(description = "null while unknown") Long etaSeconds, double percent) {
    }

    @Schema(name = "JobDisk")
    public record Disk(int key, String label, long capacityBytes, long bytesToRead, long bytesRead, String changeId) {
    }

    @Schema(name = "JobError", description = "The failure as a problem: type URI, title, detail")
    public record Error(String type, String title, String detail, boolean retriable) {
    }

    @Schema(name = "JobVerification")
    public record Verification(int restorePoints, long objectsChecked, List<String> problems) {
    }

    public static JobDocument of(Job j) {
        return new JobDocument(j.id(), j.type(), j.target() == null ? null
                : new Vm(j.target().moref(), j.target().name(), j.target().instanceUuid()), j.state(), j.phase(),
                j.createdAt(), j.startedAt(), j.finishedAt(),
                j.request().mode() == null ? null : j.request().mode().name().toLowerCase(Locale.ROOT),
                j.request().quiesce(), j.request().tags(), progress(j.progress()),
                j.disks().stream().map(JobDocument::disk).toList(), j.warnings(), error(j.failure()),
                j.restorePointId(), verification(j.check()));
    }

    private static Progress progress(JobProgress p) {
        return new Progress(p.bytesTotal(), p.bytesDone(), p.rateBytesPerSec(),
                p.etaSeconds() < 0 ? null : p.etaSeconds(), p.percent());
    }

    private static Disk disk(JobDisk d) {
        return new Disk(d.key(), d.label(), d.capacityBytes(), d.bytesToRead(), d.bytesRead(), d.changeId());
    }

    private static Error error(JobFailure f) {
        return f == null ? null : new Error(ProblemDocument.TYPE_BASE + f.type(), f.title(), f.detail(), f.retriable());
    }

    private static Verification verification(RepositoryCheck c) {
        return c == null ? null : new Verification(c.restorePoints(), c.objectsChecked(), c.problems());
    }
}
