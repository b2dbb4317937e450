package io.hotadd.agent.domain;

/** What a backup job asks for; AUTO is incremental when a usable parent exists, full otherwise. */
public enum BackupMode {
    AUTO, FULL, INCREMENTAL
}
