package io.hotadd.agent.adapters.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOpenTasksTest {
    @TempDir
    Path state;

    @Test
    void aNotedTaskIsFoundByANewInstanceUntilItIsForgotten() {
        new FileOpenTasks(state.resolve("vcenter-tasks")).remember("20300101-120000-3f9a1c2b", "task-77");
        FileOpenTasks afterRestart = new FileOpenTasks(state.resolve("vcenter-tasks"));
        assertEquals(Optional.of("task-77"), afterRestart.find("20300101-120000-3f9a1c2b"));
        afterRestart.forget("20300101-120000-3f9a1c2b");
        assertEquals(Optional.empty(), afterRestart.find("20300101-120000-3f9a1c2b"));
    }

    @Test
    void aJobIdThatIsNoFileNameOrAnUnwritableFolderIsLoggedNotThrown() throws Exception {
        FileOpenTasks tasks = new FileOpenTasks(state);
        tasks.remember("../escape", "task-1");
        assertEquals(Optional.empty(), tasks.find("../escape"));
        Files.writeString(state.resolve("file"), "not a folder");
        FileOpenTasks broken = new FileOpenTasks(state.resolve("file"));
        broken.remember("job-1", "task-2");
        assertEquals(Optional.empty(), broken.find("job-1"));
        broken.forget("job-1");
        assertEquals(1, Files.list(state).count(), "nothing written outside the folder");
    }
}
