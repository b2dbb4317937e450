package io.hotadd.agent.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Command-line options for a harness started by a test (docs/vcsim-harness.md, "Command line"). */
public final class VcsimOptions {
    private final List<String> args = new ArrayList<>();
    private Duration startTimeout = Duration.ofSeconds(60);

    public static VcsimOptions defaults() {
        return new VcsimOptions();
    }

    public VcsimOptions proxy(String vmName) {
        return flag("-proxy", vmName);
    }

    public VcsimOptions idle(Duration timeout) {
        return flag("-idle", timeout.toMillis() + "ms");
    }

    public VcsimOptions cbtBlock(long bytes) {
        return flag("-cbt-block", Long.toString(bytes));
    }

    public VcsimOptions cbtWindow(long bytes) {
        return flag("-cbt-window", Long.toString(bytes));
    }

    public VcsimOptions cbtMaxExtents(int extents) {
        return flag("-cbt-max-extents", Integer.toString(extents));
    }

    /** auto (default), on or off. */
    public VcsimOptions loop(String mode) {
        return flag("-loop", mode);
    }

    public VcsimOptions credentials(String user, String password) {
        return flag("-username", user).flag("-password", password);
    }

    public VcsimOptions startTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return this;
    }

    public VcsimOptions flag(String name, String value) {
        args.add(name);
        args.add(value);
        return this;
    }

    List<String> arguments() {
        return List.copyOf(args);
    }

    Duration startTimeout() {
        return startTimeout;
    }
}
