package io.hotadd.agent.engine.jobs;

import io.hotadd.agent.domain.AgentException;
import io.hotadd.agent.domain.JobFailure;
import io.hotadd.agent.engine.CleanupIncomplete;
import io.hotadd.agent.engine.CopyCancelled;
import io.hotadd.agent.engine.PreflightRefused;
import io.hotadd.agent.engine.ProxySetupException;
import io.hotadd.agent.engine.RestoreRefused;
import io.hotadd.agent.engine.SlotsUnavailable;
import io.hotadd.agent.engine.VmNotFound;
import io.hotadd.agent.port.VSphereException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns what a job (or a refused request) threw into a {@link JobFailure}: a stable type slug per kind of
 * error, which the API makes into a problem type URI and metrics count by, a fixed title, and the
 * exception's own message as the detail. Cleanup steps that could not be done are added to the detail,
 * because they are what an administrator has to look at first.
 */
public final class JobFailures {
    public static final String AGENT_RESTARTED = "agent-restarted";
    public static final String CANCELLED = "cancelled";
    public static final String REPOSITORY_DAMAGED = "repository/damaged";

    private JobFailures() {
    }

    public static JobFailure of(Throwable error) {
        JobFailure base = classify(error);
        List<String> cleanup = new ArrayList<>();
        for (Throwable s : error.getSuppressed()) {
            if (s instanceof CleanupIncomplete) {
                cleanup.add(s.getMessage());
            }
        }
        if (cleanup.isEmpty()) {
            return base;
        }
        return new JobFailure(base.type(), base.title(), base.detail() + " Cleanup is incomplete: "
                + String.join("; ", cleanup) + ".", base.retriable());
    }

    private static JobFailure classify(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof PreflightRefused p) {
            return new JobFailure("preflight/" + p.reason(), "The backup was refused before it changed anything", msg,
                    false);
        } else if (e instanceof RestoreRefused r) {
            return new JobFailure("restore/" + r.reason(), "The restore was refused before it changed anything", msg,
                    false);
        } else if (e instanceof VmNotFound) {
            return new JobFailure("vm-not-found", "The VM is not in vCenter", msg, false);
        } else if (e instanceof CopyCancelled) {
            return new JobFailure(CANCELLED, "The job was cancelled", msg, false);
        } else if (e instanceof SlotsUnavailable) {
            return new JobFailure("slots-unavailable", "No free SCSI slots on the proxy", msg, true);
        } else if (e instanceof ProxySetupException) {
            return new JobFailure("proxy-setup", "The proxy VM is not set up for HotAdd", msg, false);
        } else if (e instanceof VSphereException v) {
            return new JobFailure("vsphere/" + slug(v.faultType()), "vCenter refused or failed an operation", msg,
                    v.isRetriable());
        } else if (e instanceof AgentException a) {
            return new JobFailure("failed/" + kebab(a.getClass().getSimpleName()), "The job failed", msg,
                    a.isRetriable());
        }
        return new JobFailure("internal-error", "The agent met an error it did not expect", e.getClass().getName()
                + ": " + msg + ". The agent's log has the details; please report it.", false);
    }

    /** "BlockDeviceException" → "block-device-exception". */
    static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String slug(String s) {
        String cleaned = s == null ? "" : s.replaceAll("[^A-Za-z0-9_-]", "");
        return cleaned.isEmpty() ? "unknown" : cleaned;
    }
}
