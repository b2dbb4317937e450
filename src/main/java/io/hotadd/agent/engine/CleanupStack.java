package io.hotadd.agent.engine;

import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.JobPhase;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Undo actions pushed as side effects are about to happen, run in reverse: device delete in the guest,
 * detach from the proxy, destroy the clone, remove the snapshot, enable methods. Every action is idempotent
 * (an object already gone counts as done), so an action is pushed before its side effect is attempted.
 * A retriable failure is retried a few times; a failure that persists stops the unwinding, because each
 * step is only safe once the one before it has succeeded (a snapshot must not go while a disk of its clone
 * is still attached). What is left is reported and left for the recovery sweep.
 */
public final class CleanupStack {
    private static final Logger LOG = Logger.getLogger(CleanupStack.class);

    private final Deque<Action> actions = new ArrayDeque<>();
    private final Sleeper sleeper;
    private final List<Duration> retryDelays;

    /** Waits between retries; injected so tests do not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private record Action(JobPhase phase, String what, Runnable undo) {
    }

    public CleanupStack(Sleeper sleeper, List<Duration> retryDelays) {
        this.sleeper = sleeper;
        this.retryDelays = List.copyOf(retryDelays);
    }

    /** @return a token for {@link #drop}, for an undo that becomes moot before the unwinding */
    public synchronized Object push(JobPhase phase, String what, Runnable undo) {
        Action a = new Action(phase, what, undo);
        actions.push(a);
        return a;
    }

    /** Forgets the action {@link #push} answered {@code token} for: it will not run. */
    public synchronized void drop(Object token) {
        actions.removeIf(a -> a == token);
    }

    /**
     * Runs every action, newest first, reporting each phase. Answers the problems met: empty when all is
     * clean; otherwise the failure and the actions skipped because of it.
     */
    public List<String> unwind(JobObserver observer) {
        List<String> problems = new ArrayList<>();
        Action a;
        while ((a = pop()) != null) {
            observer.phase(a.phase());
            RuntimeException failure = runWithRetries(a);
            if (failure != null) {
                problems.add("could not " + a.what() + ": " + failure.getMessage());
                for (Action skipped; (skipped = pop()) != null; ) {
                    problems.add("did not " + skipped.what() + " because an earlier cleanup step failed; the "
                            + "recovery sweep will");
                }
                LOG.warnf("Cleanup stopped: %s", problems);
            }
        }
        return problems;
    }

    private synchronized Action pop() {
        return actions.poll();
    }

    private RuntimeException runWithRetries(Action a) {
        for (int attempt = 0; ; attempt++) {
            try {
                a.undo().run();
                return null;
            } catch (RuntimeException e) {
                boolean retriable = e instanceof AgentException ae && ae.isRetriable();
                if (!retriable || attempt >= retryDelays.size()) {
                    return e;
                }
                LOG.infof("Cleanup step '%s' failed (%s); retrying in %s", a.what(), e.getMessage(),
                        retryDelays.get(attempt));
                if (!pause(retryDelays.get(attempt))) {
                    return e;
                }
            }
        }
    }

    private boolean pause(Duration d) {
        try {
            sleeper.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
