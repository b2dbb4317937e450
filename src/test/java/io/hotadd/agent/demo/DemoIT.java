package io.hotadd.agent.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's demo on the packaged agent (after {@code package}, under failsafe), so it cannot rot:
 * the demo itself fails on any hash mismatch, failed job or leftover; this checks what it reports.
 */
class DemoIT {

    @Test
    void theDemoBacksUpRestoresAndChecksEverything() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path work = Path.of("target/demo-it");
        Demo.Report r;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            r = new Demo(out, false, work).run();
        } finally {
            System.out.print(printed.toString(StandardCharsets.UTF_8));
        }
        assertEquals(5, r.steps.size(), "full, incremental, new VM, two images");
        long full = r.steps.get(0).bytes();
        long incremental = r.steps.get(1).bytes();
        assertTrue(full >= r.dataBytes && full < r.diskBytes / 4, "a full backup reads the data, not the disks: " + full);
        assertTrue(incremental > 0 && incremental < full / 10, "an incremental reads what changed: " + incremental);
        assertEquals(2, r.hashes.size());
        assertTrue(r.leftovers.clean() && r.violations.isEmpty());
        assertTrue(r.firstLine.startsWith(Demo.VM + " boot disk"), r.firstLine);
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("DEMO OK"));
        try (var left = Files.list(work)) {
            assertEquals(0, left.count(), "the demo removes its work folder");
        }
    }
}
