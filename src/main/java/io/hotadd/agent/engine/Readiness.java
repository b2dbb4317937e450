package io.hotadd.agent.engine;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * Whether the agent can take jobs, as named conditions the boot layer sets as it starts up and probes
 * later; health checks report them, and the job engine accepts jobs only once startup has finished (jobs
 * left over from before a restart have been settled). Thread-safe.
 */
public final class Readiness {

    /** The things that must hold before a backup can succeed. */
    public enum Condition {
        /** Startup work is done: stored jobs loaded and unfinished ones settled (later: the crash sweep). */
        STARTUP_FINISHED("startup"),
        /** A vCenter session works: the proxy VM was found through it. */
        VCENTER_SESSION("vcenter"),
        /** The repository is reachable and accepts writes. */
        REPOSITORY_WRITABLE("repository"),
        /** The proxy VM has the SCSI controllers HotAdd needs. */
        PROXY_LAYOUT("proxy-layout");

        private final String checkName;

        Condition(String checkName) {
            this.checkName = checkName;
        }

        /** The name health reports use. */
        public String checkName() {
            return checkName;
        }
    }

    /** @param detail what was found, or why the condition does not hold and what to do */
    public record Status(boolean up, String detail, Instant since) {
    }

    private final Clock clock;
    private final Map<Condition, Status> conditions = new EnumMap<>(Condition.class);

    public Readiness(Clock clock) {
        this.clock = clock;
        for (Condition c : Condition.values()) {
            conditions.put(c, new Status(false, "not checked yet", clock.instant()));
        }
    }

    public synchronized void up(Condition c, String detail) {
        set(c, true, detail);
    }

    public synchronized void down(Condition c, String detail) {
        set(c, false, detail);
    }

    public synchronized Status status(Condition c) {
        return conditions.get(c);
    }

    public synchronized boolean allUp() {
        return conditions.values().stream().allMatch(Status::up);
    }

    private void set(Condition c, boolean up, String detail) {
        Status before = conditions.get(c);
        Instant since = before.up() == up ? before.since() : clock.instant();
        conditions.put(c, new Status(up, detail, since));
    }
}
