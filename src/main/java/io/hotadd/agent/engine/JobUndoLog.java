package io.hotadd.agent.engine;

import io.hotadd.agent.domain.JobPhase;
import io.hotadd.agent.domain.Undo;
import io.hotadd.agent.port.Journal;
import java.util.List;
import java.util.function.Supplier;

/**
 * A job's side effects as journaled undos: {@link #push} writes the undo to the journal (fsync'd) before the
 * caller makes the side effect, and stacks it for the job's own cleanup, which carries it out through the
 * same {@link UndoExecutor} recovery uses and records each undo done. When the cleanup leaves nothing
 * behind, the job is ended in the journal (and the journal compacted when no job has undos pending);
 * otherwise its pending undos stay there for recovery.
 */
final class JobUndoLog {
    private final Journal journal;
    private final UndoExecutor executor;
    private final CleanupStack stack;
    private final String jobId;
    private final String vmMoref;
    private int nextSeq = 1;
    private boolean started;

    JobUndoLog(Journal journal, UndoExecutor executor, CleanupStack stack, String jobId, String vmMoref) {
        this.journal = journal;
        this.executor = executor;
        this.stack = stack;
        this.jobId = jobId;
        this.vmMoref = vmMoref;
    }

    /** A pushed undo, which the job can declare moot (see {@link #dismiss}). */
    record Entry(int seq, Object token) {
    }

    /** Journals {@code undo}; call right before the side effect it takes back. */
    Entry push(JobPhase phase, Undo undo) {
        return push(phase, undo, () -> { });
    }

    /** As {@link #push(JobPhase, Undo)}, running {@code afterwards} (in-memory bookkeeping) once it is done. */
    Entry push(JobPhase phase, Undo undo, Runnable afterwards) {
        return push(phase, undo, () -> undo, afterwards);
    }

    /**
     * As {@link #push(JobPhase, Undo)}, but the job's own cleanup carries out what {@code refined} answers
     * then: the journaled undo completed with what the side effect told (the linked clone's moref), which
     * spares a search. Recovery, which never saw the side effect's answer, uses the journaled one.
     */
    Entry pushRefined(JobPhase phase, Undo undo, Supplier<Undo> refined) {
        return push(phase, undo, refined, () -> { });
    }

    private synchronized Entry push(JobPhase phase, Undo undo, Supplier<Undo> refined, Runnable afterwards) {
        if (!started) {
            journal.jobStarted(jobId, vmMoref);
            started = true;
        }
        int seq = nextSeq++;
        journal.intent(jobId, seq, undo);
        Object token = stack.push(phase, undo.describe(), () -> {
            executor.run(refined.get());
            afterwards.run();
            journal.undone(jobId, seq);
        });
        return new Entry(seq, token);
    }

    /**
     * The side effect is to stay (a restored VM whose data is all written): the undo is recorded as done in
     * the journal, so recovery never carries it out, and taken off the cleanup.
     */
    synchronized void dismiss(Entry entry) {
        journal.undone(jobId, entry.seq());
        stack.drop(entry.token());
    }

    /** Runs the cleanup (see {@link CleanupStack#unwind}); a clean end closes the job in the journal. */
    List<String> unwind(JobObserver observer) {
        List<String> problems = stack.unwind(observer);
        if (problems.isEmpty() && started) {
            journal.jobEnded(jobId);
            if (journal.unfinished().isEmpty()) {
                journal.compact(); // nothing pending: the file shrinks to nothing instead of growing per job
            }
        }
        return problems;
    }
}
