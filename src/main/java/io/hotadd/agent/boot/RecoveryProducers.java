package io.hotadd.agent.boot;

import io.hotadd.agent.adapters.journal.FileJournal;
import io.hotadd.agent.engine.BackupWorkflow;
import io.hotadd.agent.engine.CrashRecovery;
import io.hotadd.agent.port.Journal;
import io.hotadd.agent.port.VSphere;
import io.hotadd.agent.port.VmCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The crash-safety parts: the intent journal in the state directory, the VM catalog, recovery. */
@ApplicationScoped
public class RecoveryProducers {

    /** {@code <state-dir>/journal/intents.log}: see docs/crash-safety.md. */
    @Produces
    @Singleton
    Journal journal(AgentConfig c) {
        return new FileJournal(c.stateDir().resolve("journal").resolve("intents.log"));
    }

    /** Asks the vCenter gateway, opened on first use like every vCenter call. */
    @Produces
    @Singleton
    VmCatalog vmCatalog(VcenterConnection connection) {
        return () -> {
            VSphere gateway = connection.gateway();
            if (gateway instanceof VmCatalog catalog) {
                return catalog.allVms();
            }
            throw new IllegalStateException("the vCenter gateway " + gateway.getClass().getName()
                    + " cannot list VMs; the orphan sweep needs it");
        };
    }

    @Produces
    @Singleton
    CrashRecovery crashRecovery(BackupWorkflow workflow, VmCatalog catalog, CleanupActionsReporter reporter) {
        return new CrashRecovery(workflow, catalog, reporter);
    }
}
