package io.hotadd.agent.engine.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.journal.FileJobStore;
import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.domain.Job;
import io.hotadd.agent.domain.JobState;
import io.hotadd.agent.domain.VmSelector;
import io.hotadd.agent.port.JobStore;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A restart on the same state directory: history kept, unfinished jobs settled, idempotency keys honoured. */
class JobRecoveryTest {
    @TempDir
    Path state;

    @Test
    void aRestartKeepsHistoryAndFailsWhatWasRunning() throws Exception {
        String finished;
        String interrupted;
        DyingStore dying = new DyingStore(new FileJobStore(state));
        try (JobEngineFixture before = new JobEngineFixture(dying, 2)) {
            before.env.vmWithData("web", 1, 1);
            Submitted first = before.engine.submitBackup(new VmSelector.ByName("web"),
                    JobEngineFixture.request(BackupMode.AUTO, "key-1", "fp-1"));
            finished = before.awaitEnd(first.job().id()).id();
            before.holdReads();
            interrupted = before.engine.submitBackup(new VmSelector.ByName("web"),
                    JobEngineFixture.request(BackupMode.FULL, null, "fp-2")).job().id(); // full: it has data to read
            assertTrue(before.aReadStarted.await(10, TimeUnit.SECONDS));
            dying.dead = true; // the agent dies here: the second job's document says RUNNING
        }
        try (JobEngineFixture after = new JobEngineFixture(new FileJobStore(state), 2)) {
            after.env.vmWithData("web", 1, 1);
            assertEquals(1, after.engine.recover());
            assertEquals(JobState.SUCCEEDED, after.engine.get(finished).state());
            Job settled = after.engine.get(interrupted);
            assertEquals(JobState.FAILED, settled.state());
            assertEquals(JobFailures.AGENT_RESTARTED, settled.failure().type());
            assertTrue(settled.failure().detail().contains("READING"), settled.failure().detail());
            assertTrue(settled.failure().retriable());

            Submitted retried = after.engine.submitBackup(new VmSelector.ByName("web"),
                    JobEngineFixture.request(BackupMode.AUTO, "key-1", "fp-1"));
            assertTrue(retried.replayed(), "the key survives the restart");
            assertEquals(finished, retried.job().id());
            assertEquals(2, after.engine.list(new JobQuery(Set.of(), Optional.empty(), 10, Optional.empty()))
                    .jobs().size());
        }
    }

    /** A store whose process has died: nothing more reaches the disk. */
    private static final class DyingStore implements JobStore {
        private final JobStore disk;
        volatile boolean dead;

        DyingStore(JobStore disk) {
            this.disk = disk;
        }

        @Override
        public void save(Job job) {
            if (dead) {
                throw new IllegalStateException("the agent is dead");
            }
            disk.save(job);
        }

        @Override
        public Loaded loadAll() {
            return disk.loadAll();
        }

        @Override
        public void delete(String jobId) {
            disk.delete(jobId);
        }
    }
}
