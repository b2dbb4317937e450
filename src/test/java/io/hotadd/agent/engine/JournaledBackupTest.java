package io.hotadd.agent.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.journal.FileJournal;
import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.fakes.FakeVm;
import io.hotadd.agent.port.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup against the file journal: what it records before its side effects, and that it leaves it empty. */
class JournaledBackupTest {
    private final EngineFixture f = new EngineFixture();

    @TempDir
    Path dir;

    /** Ends the job's thread the way a kill does: no catch in the workflow sees it, no cleanup runs. */
    private static final class Killed extends Error {
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void aCleanBackupLeavesAnEmptyJournal() throws Exception {
        Path file = dir.resolve("intents.log");
        try (FileJournal journal = new FileJournal(file)) {
            BackupWorkflow w = f.workflowWith(journal);
            FakeVm vm = f.vc.addVm("clean", 2 * EngineFixture.MIB);
            w.run(new BackupRequest("ok-1", new VmSelector.ByName("clean"), BackupMode.FULL, false),
                    new EngineFixture.Recorder(), () -> false);
            assertTrue(journal.unfinished().isEmpty());
            assertEquals(0, Files.size(file), "compacted once nothing is pending");
            assertEquals(List.of(), f.vc.leftovers(f.proxy));
            assertTrue(vm.cbt);
        }
    }

    @Test
    void aJobKilledWhileReadingLeavesItsUndosOnDiskInTheOrderTheyWereRecorded() throws Exception {
        Path file = dir.resolve("intents.log");
        try (FileJournal journal = new FileJournal(file)) {
            BackupWorkflow w = f.workflowWith(journal);
            f.vc.addVm("killed", 2 * EngineFixture.MIB);
            EngineFixture.Recorder dies = new EngineFixture.Recorder() {
                @Override
                public void phase(JobPhase phase) {
                    if (phase == JobPhase.READING) {
                        throw new Killed();
                    }
                }
            };
            assertThrows(Killed.class, () -> w.run(new BackupRequest("dead-1", new VmSelector.ByName("killed"),
                    BackupMode.FULL, false), dies, () -> false));
        }
        try (FileJournal reopened = new FileJournal(file)) { // as the restarted agent reads it
            List<Journal.Pending> pending = reopened.unfinished().get("dead-1");
            assertEquals(List.of(Undo.EnableMethods.class, Undo.RemoveSnapshot.class, Undo.DestroyClone.class,
                    Undo.DetachFiles.class, Undo.ReleaseGuestDevices.class),
                    pending.stream().map(p -> (Class<?>) p.undo().getClass()).toList());
            assertEquals(List.of(1, 2, 3, 4, 5), pending.stream().map(Journal.Pending::seq).toList());
        }
    }
}
