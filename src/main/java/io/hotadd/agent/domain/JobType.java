package io.hotadd.agent.domain;

/** What a job does. */
public enum JobType {
    BACKUP, VERIFY, RESTORE
}
