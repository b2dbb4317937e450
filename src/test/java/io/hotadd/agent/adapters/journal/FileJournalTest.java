package io.hotadd.agent.adapters.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.port.Journal.Pending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {
    private static final Undo ENABLE = new Undo.EnableMethods("vm-1", List.of("RelocateVM_Task"), "io.hotadd.agent");
    private static final Undo SNAP = new Undo.RemoveSnapshot("vm-1", "hotadd-j1");
    private static final Undo CLONE = new Undo.DestroyClone("hotadd-j1-web", null);

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("journal.log");
    }

    private void writeJob(FileJournal j) {
        j.jobStarted("j1", "vm-1");
        j.intent("j1", 1, ENABLE);
        j.intent("j1", 2, SNAP);
        j.intent("j1", 3, CLONE);
        j.undone("j1", 3);
    }

    /** Restore records: a new VM (no moref yet when the job starts) and an existing VM's tracking. */
    private void writeRestores(FileJournal j) {
        j.jobStarted("r1", null);
        j.intent("r1", 1, NEW_VM);
        j.undone("r1", 1); // its data was all written: the VM stays
        j.jobEnded("r1");
        j.jobStarted("r2", "vm-3");
        j.intent("r2", 1, new Undo.EnableMethods("vm-3", List.of("RelocateVM_Task", "PowerOnVM_Task"),
                "io.hotadd.agent"));
        j.intent("r2", 2, CBT_ON);
        j.jobEnded("r2");
    }

    private static final Undo NEW_VM = new Undo.DestroyRestoredVm("db-restored", "r1");
    private static final Undo CBT_ON = new Undo.EnableChangeTracking("vm-3");

    @Test
    void restoreUndosSurviveARestart() {
        try (FileJournal j = new FileJournal(file())) {
            j.jobStarted("r1", null);
            j.intent("r1", 1, NEW_VM);
            j.intent("r1", 2, CBT_ON);
        }
        try (FileJournal again = new FileJournal(file())) {
            assertEquals(Map.of("r1", List.of(new Pending(1, NEW_VM), new Pending(2, CBT_ON))), again.unfinished());
        }
    }

    @Test
    void pendingUndosSurviveARestartInTheOrderTheyWereRecorded() {
        try (FileJournal j = new FileJournal(file())) {
            writeJob(j);
            j.jobStarted("j2", "vm-2");
            j.jobEnded("j2");
        }
        try (FileJournal again = new FileJournal(file())) {
            assertEquals(Map.of("j1", List.of(new Pending(1, ENABLE), new Pending(2, SNAP))), again.unfinished());
        }
    }

    @Test
    void aTornLastRecordIsIgnoredAndTheNextAppendFollowsTheLastGoodOne() throws Exception {
        try (FileJournal j = new FileJournal(file())) {
            writeJob(j);
        }
        byte[] all = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(all, all.length - 7)); // crash mid-write of "undone 3"
        try (FileJournal j = new FileJournal(file())) {
            assertEquals(3, j.unfinished().get("j1").size(), "the torn 'undone' never happened");
            j.undone("j1", 3);
        }
        try (FileJournal j = new FileJournal(file())) {
            assertEquals(2, j.unfinished().get("j1").size());
        }
    }

    @Test
    void aRecordWithABadChecksumEndsTheReadableJournal() throws Exception {
        try (FileJournal j = new FileJournal(file())) {
            writeJob(j);
        }
        String text = Files.readString(file());
        Files.writeString(file(), text.replaceFirst("hotadd-j1\"", "hotadd-jX\"")); // flip content, keep length
        try (FileJournal j = new FileJournal(file())) {
            assertEquals(List.of(new Pending(1, ENABLE)), j.unfinished().get("j1"),
                    "records from the corrupt one on are not trusted");
        }
    }

    @Test
    void compactionKeepsOnlyUnfinishedJobsPendingUndos() throws Exception {
        try (FileJournal j = new FileJournal(file())) {
            writeJob(j);
            j.jobStarted("done", "vm-3");
            j.intent("done", 1, ENABLE);
            j.jobEnded("done");
            j.compact();
            assertEquals(3, Files.readAllLines(file()).size(), "start + 2 pending intents of j1");
            j.undone("j1", 2);
        }
        try (FileJournal j = new FileJournal(file())) {
            assertEquals(Map.of("j1", List.of(new Pending(1, ENABLE))), j.unfinished());
        }
    }

    /** The format is a contract across upgrades; regenerate with -Dgolden.update=true only on purpose. */
    @Test
    void theOnDiskFormatMatchesTheGoldenFile() throws Exception {
        try (FileJournal j = new FileJournal(file())) {
            writeJob(j);
            j.intent("j1", 4, new Undo.DetachFiles("vm-9", List.of("[ds] c/c.vmdk")));
            j.intent("j1", 5, new Undo.ReleaseGuestDevices(List.of("6000c29a1b2c3d4e5f60718293a4b5c6")));
            j.jobEnded("j1");
            writeRestores(j);
        }
        Path golden = Path.of("src/test/resources/golden/journal/journal-v1.txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.copy(file(), golden, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals(Files.readString(golden), Files.readString(file()));
        try (FileJournal j = new FileJournal(golden)) {
            assertTrue(j.unfinished().isEmpty(), "the golden journal replays cleanly");
        }
    }
}
