package io.hotadd.agent.demo;

import static io.hotadd.agent.demo.Demo.size;

import io.hotadd.agent.demo.Demo.Report;
import io.hotadd.agent.demo.Demo.Step;
import java.io.PrintStream;
import java.util.Locale;

/** The demo's closing summary: what happened, how long it took, what was read and stored, what was checked. */
final class DemoSummary {
    private final PrintStream out;
    private final Report r;
    private final double seconds;

    DemoSummary(PrintStream out, Report report, double seconds) {
        this.out = out;
        this.r = report;
        this.seconds = seconds;
    }

    void print() {
        out.println();
        out.println("== Summary");
        row("sample VM", String.format(Locale.ROOT, "%s: 2 thin disks, %s, %s of data", Demo.VM, size(r.diskBytes),
                size(r.dataBytes)));
        for (Step s : r.steps) {
            String moved = s.what().contains("backup") ? "read " + size(s.bytes()) + " (" + percent(s.bytes(),
                    r.diskBytes) + " of the disks)" : "wrote " + size(s.bytes());
            row(s.what(), String.format(Locale.ROOT, "%5.1f s  %-36s job %s%s", s.seconds(), moved, s.jobId(),
                    s.what().contains("backup") ? ", restore point " + s.restorePoint() : ""));
        }
        row("repository", String.format(Locale.ROOT, "the 2 restore points reference %s of data; dedup and zstd "
                + "stored %s of it (%.1fx smaller), encrypted; %s on disk", size(r.referencedBytes), size(r.newBytes),
                r.newBytes == 0 ? 0.0 : r.referencedBytes / (double) r.newBytes, size(r.repositoryOnDisk)));
        boolean first = true;
        for (String h : r.hashes) {
            row(first ? "checks" : "", h + "  equal");
            first = false;
        }
        row("", "first line of the restored VM's disk: \"" + r.firstLine + "\"");
        row("cleanup audit", "leftovers: " + (r.leftovers.clean() ? "none" : r.leftovers) + " (proxy disks, clones, "
                + "snapshots, disabled methods); ordering violations: " + (r.violations.isEmpty() ? "none"
                : r.violations));
        if (r.peakRss > 0) {
            row("agent", "peak RSS " + size(r.peakRss) + " (-Xmx112m)");
        }
        row("total", String.format(Locale.ROOT, "%.0f s; everything started was stopped and the work folder removed",
                seconds));
        out.println("DEMO OK");
    }

    private void row(String label, String text) {
        out.printf("  %-22s %s%n", label, text);
    }

    private static String percent(long part, long whole) {
        return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
    }
}
