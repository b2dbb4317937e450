package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.RestoreWorkflow;
import io.hotadd.agent.port.BackupRepository;
import io.hotadd.agent.port.RepositoryMaintenance;
import java.time.Clock;

/** What the runs of jobs share. {@code restores} is null where the engine was built without restores. */
record JobContext(JobBook book, BackupWorkflow workflow, BackupRepository repository,
                  RepositoryMaintenance maintenance, Clock clock, JobEngineSettings settings, JobMetrics metrics,
                  RestoreWorkflow restores) {
}
