package io.hotadd.agent.port;

import io.hotadd.agent.domain.CleanupAction;

/**
 * Told of every action of recovery and of the orphan sweep, as it ends (or, in a dry run, as it is
 * planned): the boot layer counts them in metrics and posts them to vCenter as events, so an administrator
 * sees what the agent removed and why.
 */
@FunctionalInterface
public interface CleanupObserver {

    void action(CleanupAction action);

    /** Tells nobody; the engine logs every action itself. */
    static CleanupObserver none() {
        return a -> { };
    }
}
