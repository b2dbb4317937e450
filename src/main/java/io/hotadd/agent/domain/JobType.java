package io.hotadd.agent.domain;

/** What a job does. Restores arrive with their own issue; until then the API refuses them. */
public enum JobType {
    BACKUP, VERIFY
}
