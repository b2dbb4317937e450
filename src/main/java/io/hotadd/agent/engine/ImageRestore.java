package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.engine.CheckedRestore.DiskPlan;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One disk of a restore point as a raw image file on the proxy: exported sparse (holes stay holes) into a
 * temporary file beside the target, flushed, then linked into place (a hard link fails if the name exists,
 * where a rename would replace) and the folder flushed, so the path either does not exist or holds the whole
 * image, and an existing file is never overwritten.
 */
final class ImageRestore {
    private final RestoreWorkflow w;
    private final RestoreRequest request;
    private final RestoreTarget.Image target;
    private final JobObserver observer;
    private final BooleanSupplier cancelled;

    ImageRestore(RestoreWorkflow w, RestoreRequest request, JobObserver observer, BooleanSupplier cancelled) {
        this.w = w;
        this.request = request;
        this.target = (RestoreTarget.Image) request.target();
        this.observer = observer;
        this.cancelled = cancelled;
    }

    RestoreResult execute() {
        observer.phase(JobPhase.PREFLIGHT);
        CheckedRestore checked = w.checks(Integer.MAX_VALUE).check(request, "");
        DiskPlan plan = checked.disks().get(0);
        if (cancelled.getAsBoolean()) {
            throw new CopyCancelled("restore job " + request.jobId() + " was cancelled");
        }
        observer.disksPlanned(List.of(new JobObserver.DiskProgress(plan.sourceKey(), plan.label(),
                plan.capacityBytes(), plan.bytesToWrite(), null)));
        observer.phase(JobPhase.WRITING);
        Path partial = target.path().resolveSibling(target.path().getFileName() + ".partial-" + request.jobId());
        try (DiskImage image = w.repository.openDisk(request.restorePointId(), plan.sourceKey())) {
            image.exportSparse(partial);
            Files.createLink(target.path(), partial);
            Files.delete(partial);
            syncFolder(target.path().getParent());
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(partial);
            throw new RestoreRefused("image-exists", "The image file " + target.path() + " was created by someone"
                    + " else while the restore ran; a restore never overwrites a file. Remove it or choose another path.");
        } catch (IOException e) {
            deleteQuietly(partial);
            throw new ImageNotWritten("Cannot put the exported image in place at " + target.path() + ": " + e
                    + ". Check the folder's permissions and free space, then run the restore again.", e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
        observer.bytesWritten(plan.sourceKey(), plan.bytesToWrite());
        observer.phase(JobPhase.DONE);
        return new RestoreResult(Optional.empty(), target.path().toString(), plan.bytesToWrite(), List.of());
    }

    /** The rename is durable only once the folder's entry is. */
    private static void syncFolder(Path folder) throws IOException {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private static void deleteQuietly(Path partial) {
        try {
            Files.deleteIfExists(partial);
        } catch (IOException ignored) {
            // the original failure is what the caller needs; a leftover .partial file names its job
        }
    }
}
