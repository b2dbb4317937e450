package io.hotadd.agent.adapters.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobDisk;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.JobProgress;
import io.hotadd.agent.domain.JobRequest;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.JobTarget;
import io.hotadd.agent.domain.JobType;
import io.hotadd.agent.domain.RepositoryCheck;
import io.hotadd.agent.port.JobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJobStoreTest {
    private static final Instant T0 = Instant.parse("2030-01-02T03:04:05.123Z");

    @TempDir
    Path dir;

    static Job finishedBackup(String id) {
        JobRequest req = new JobRequest(BackupMode.INCREMENTAL, true, Map.of("policy", "gold"),
                Optional.of("https://central.example/cb"), Optional.of("key-1"), "sha256:abc");
        return Job.queued(id, JobType.BACKUP, new JobTarget("vm-42", "web", "5001"), req, T0)
                .started(T0.plusSeconds(1)).inPhase(JobPhase.READING)
                .withDisks(List.of(new JobDisk(2000, "Hard disk 1", 1 << 30, 1 << 20, 1 << 20, "52 aa/7")),
                        new JobProgress(1 << 20, 1 << 20, 0, 0, 100.0))
                .withWarning("disk 'Hard disk 2' is independent; skipped")
                .ended(JobState.FAILED, T0.plusSeconds(9), new JobFailure("vsphere/FileLocked", "t", "d", true));
    }

    @Test
    void aJobReadsBackAsItWasSaved() {
        Job job = finishedBackup("job-1");
        Job verify = Job.queued("job-2", JobType.VERIFY, null, new JobRequest(null, false, Map.of(), Optional.empty(),
                Optional.empty(), "v"), T0).started(T0).withCheck(new RepositoryCheck(3, 99, List.of("pack x damaged")));
        new FileJobStore(dir).save(job);
        new FileJobStore(dir).save(verify);

        JobStore.Loaded loaded = new FileJobStore(dir).loadAll();
        assertEquals(List.of(), loaded.unreadable());
        assertEquals(2, loaded.jobs().size());
        assertTrue(loaded.jobs().contains(job), "all fields survive: " + loaded.jobs());
        assertTrue(loaded.jobs().contains(verify));
    }

    @Test
    void aSaveReplacesTheDocumentAndLeavesNoTemporaryFile() throws Exception {
        FileJobStore store = new FileJobStore(dir);
        Job queued = Job.queued("job-1", JobType.VERIFY, null, new JobRequest(null, false, Map.of(), Optional.empty(),
                Optional.empty(), "v"), T0);
        store.save(queued);
        store.save(queued.started(T0));
        try (var files = Files.list(dir)) {
            assertEquals(List.of("job-1.json"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(JobState.RUNNING, store.loadAll().jobs().get(0).state());
    }

    @Test
    void leftoversOfAnInterruptedSaveAreIgnoredAndRemoved() throws Exception {
        FileJobStore store = new FileJobStore(dir);
        store.save(finishedBackup("job-1"));
        Path torn = dir.resolve(".tmp-job-1-0000");
        Files.writeString(torn, "{\"format\":1,\"job\":{\"id\":\"job-1\",\"sta");
        JobStore.Loaded loaded = store.loadAll();
        assertEquals(1, loaded.jobs().size());
        assertEquals(List.of(), loaded.unreadable());
        assertTrue(Files.notExists(torn));
    }

    @Test
    void aDamagedOrForeignDocumentIsReportedNotFatal() throws Exception {
        FileJobStore store = new FileJobStore(dir);
        store.save(finishedBackup("job-1"));
        Files.writeString(dir.resolve("job-2.json"), "{not json");
        Files.writeString(dir.resolve("job-3.json"), "{\"format\":99,\"job\":{}}");
        JobStore.Loaded loaded = store.loadAll();
        assertEquals(1, loaded.jobs().size());
        assertEquals(2, loaded.unreadable().size());
        assertTrue(loaded.unreadable().stream().anyMatch(s -> s.contains("job-3.json") && s.contains("format 99")),
                loaded.unreadable().toString());
    }

    @Test
    void deleteForgetsAJobAndIdsThatCannotNameAFileAreRefused() {
        FileJobStore store = new FileJobStore(dir);
        store.save(finishedBackup("job-1"));
        store.delete("job-1");
        store.delete("job-1");
        assertEquals(List.of(), store.loadAll().jobs());
        assertThrows(IllegalArgumentException.class, () -> store.delete("../etc/passwd"));
    }
}
