package io.hotadd.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotadd.agent.harness.Vcsim;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimModel.Disk;
import io.hotadd.agent.harness.VcsimModel.Leftovers;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewNic;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Violation;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.harness.VcsimProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The demo: the simulated vCenter with a sample VM whose two disks hold recognizable data, the packaged
 * agent against it, then through the agent's REST API a full backup, new data written into the VM, an
 * incremental backup, a restore of the latest restore point to a new VM and the export of each disk as an
 * image; the restored disks, the images and the source disks must hash the same, and the harness must see
 * nothing left behind. Any mismatch is a {@link DemoFailure}. Everything it started is stopped and its work
 * folder removed, whatever happens.
 */
final class Demo {
    static final String PROXY = "DC0_H0_VM0";
    static final String VM = "demo-web";
    static final String RESTORED = "demo-web-restored";
    static final long MIB = 1 << 20;

    private final PrintStream out;
    private final boolean terminal;
    private final Path workRoot;
    private final Report report = new Report();
    private VcsimControl control;
    private DemoApi api;

    /** What the demo did, for the summary and for the test that runs it. */
    static final class Report {
        long diskBytes;
        long dataBytes;
        final List<Step> steps = new ArrayList<>();
        final List<String> hashes = new ArrayList<>();
        long referencedBytes;
        long newBytes;
        long repositoryOnDisk;
        Leftovers leftovers;
        List<Violation> violations;
        long peakRss;
        String firstLine;
    }

    /** One job: what it was, its id, how long it took, the bytes it moved, the restore point it made or used. */
    record Step(String what, String jobId, double seconds, long bytes, String restorePoint) {
    }

    Demo(PrintStream out, boolean terminal, Path workRoot) {
        this.out = out;
        this.terminal = terminal;
        this.workRoot = workRoot;
    }

    Report run() throws IOException, InterruptedException {
        long started = System.nanoTime();
        Files.createDirectories(workRoot);
        Path work = Files.createTempDirectory(workRoot.toAbsolutePath(), "demo-");
        try (VcsimProcess harness = startHarness()) {
            Vcsim vc = harness.vcsim();
            control = vc.control();
            sampleVm();
            try (DemoAgent agent = startAgent(vc, work)) {
                backups();
                restores(work);
                check(work);
                DemoVcenterView.print(out, control, VM, PROXY, 2);
                report.peakRss = agent.peakRssBytes();
            }
        } finally {
            deleteTree(work);
        }
        new DemoSummary(out, report, (System.nanoTime() - started) / 1e9).print();
        return report;
    }

    private VcsimProcess startHarness() {
        out.println("== 1. The simulated vCenter (src/test/vcsim): one datacenter, proxy VM " + PROXY);
        return VcsimProcess.start(VcsimOptions.defaults().proxy(PROXY).cbtBlock(64 << 10));
    }

    /** Two thin disks: text that says what it is, random data, and 16 MiB that both disks share. */
    private void sampleVm() {
        control.createVm(new NewVm(VM, null, null, true, true, List.of(NewDisk.thin(512 * MIB),
                NewDisk.thin(256 * MIB)), List.of(new NewNic("VM Network", null))));
        List<Disk> disks = control.vm(VM).disks();
        int a = disks.get(0).key();
        int b = disks.get(1).key();
        control.writePattern(VM, a, 0, 16 * MIB, "text:" + VM + " boot disk");
        control.writePattern(VM, a, 64 * MIB, 24 * MIB, "random:" + VM + " database");
        control.writePattern(VM, a, 256 * MIB, 16 * MIB, "random:shared image");
        control.writePattern(VM, b, 0, 16 * MIB, "random:shared image");
        control.writePattern(VM, b, 128 * MIB, 8 * MIB, "text:" + VM + " logs");
        report.diskBytes = 768 * MIB;
        report.dataBytes = 80 * MIB;
        out.printf("   VM '%s' (%s): 2 thin disks of 512 and 256 MiB, CBT on, %s of data: text, random, and 16 MiB "
                + "the two disks share%n", VM, control.vm(VM).moref(), size(report.dataBytes));
    }

    private DemoAgent startAgent(Vcsim vc, Path work) throws IOException, InterruptedException {
        out.println("== 2. The agent (target/quarkus-app), vCenter certificate pinned to " + vc.sha256().substring(0, 16)
                + "..., a new encrypted repository in " + work.resolve("repository"));
        DemoAgent agent = new DemoAgent(vc, work);
        agent.awaitReady();
        api = new DemoApi(agent.api, agent.token, out, terminal);
        out.println("   ready (pid " + agent.pid() + "), API " + agent.api + " with a bearer token, log "
                + agent.log.getFileName());
        return agent;
    }

    private void backups() throws InterruptedException {
        out.println("== 3. Full backup: POST /api/v1/backups {\"vm\": {\"name\": \"" + VM + "\"}, \"mode\": \"full\"}");
        Step full = job("full backup", "backups", "{\"vm\": {\"name\": \"" + VM + "\"}, \"mode\": \"full\"}");
        List<Disk> disks = control.vm(VM).disks();
        control.writePattern(VM, disks.get(0).key(), 300 * MIB, MIB, "random:written after the full backup");
        control.writePattern(VM, disks.get(1).key(), 200 * MIB, 64 << 10, "text:" + VM + " new log lines");
        out.println("== 4. New data written into the VM (harness control API): 1 MiB on disk 1, 64 KiB on disk 2");
        out.println("== 5. Incremental backup: only what CBT says changed since " + full.restorePoint());
        Step inc = job("incremental backup", "backups", "{\"vm\": {\"name\": \"" + VM + "\"}, \"mode\": "
                + "\"incremental\"}");
        if (inc.bytes() >= full.bytes() / 4) {
            throw new DemoFailure("the incremental read " + size(inc.bytes()) + ", not much less than the full backup's "
                    + size(full.bytes()) + ": changed block tracking was not used");
        }
        for (Step s : List.of(full, inc)) {
            JsonNode point = api.get("restore-points/" + s.restorePoint());
            for (JsonNode d : point.path("disks")) {
                report.referencedBytes += d.path("storedBytes").asLong();
                report.newBytes += d.path("newBytes").asLong();
            }
        }
    }

    private void restores(Path work) throws IOException, InterruptedException {
        String point = report.steps.get(1).restorePoint();
        out.println("== 6. Restore " + point + " to a new VM: POST /api/v1/restores {\"target\": {\"newVm\": "
                + "{\"name\": \"" + RESTORED + "\"}}}");
        job("restore to a new VM", "restores", "{\"restorePointId\": \"" + point + "\", \"target\": {\"newVm\": "
                + "{\"name\": \"" + RESTORED + "\"}}}");
        Path images = Files.createDirectories(work.resolve("images"));
        out.println("== 7. Export each disk of " + point + " as a raw image: POST /api/v1/restores {\"target\": "
                + "{\"image\": {...}}}");
        for (Disk d : control.vm(VM).disks()) {
            Path image = images.resolve("disk-" + d.key() + ".img");
            job("image of disk " + d.key(), "restores", "{\"restorePointId\": \"" + point + "\", \"target\": "
                    + "{\"image\": {\"path\": \"" + image.toAbsolutePath() + "\", \"diskKey\": " + d.key() + "}}}");
        }
    }

    /** Source disk, restored VM's disk and exported image: the same SHA-256, disk by disk. */
    private void check(Path work) throws IOException {
        out.println("== 8. Checks: SHA-256 of each source disk (harness), restored VM disk (harness), image (file)");
        List<Disk> source = sortedDisks(VM);
        List<Disk> restored = sortedDisks(RESTORED);
        if (restored.size() != source.size()) {
            throw new DemoFailure(RESTORED + " has " + restored.size() + " disks, the source " + source.size());
        }
        for (int i = 0; i < source.size(); i++) {
            String src = control.hash(VM, source.get(i).key()).sha256();
            String back = control.hash(RESTORED, restored.get(i).key()).sha256();
            String image = sha256(work.resolve("images").resolve("disk-" + source.get(i).key() + ".img"));
            String line = String.format(Locale.ROOT, "disk %d: source %s, restored %s, image %s", source.get(i).key(),
                    src.substring(0, 12), back.substring(0, 12), image.substring(0, 12));
            out.println("   " + line + (src.equals(back) && src.equals(image) ? "  equal" : "  DIFFERENT"));
            if (!src.equals(back) || !src.equals(image)) {
                throw new DemoFailure("disk " + i + " of " + RESTORED + " or its image differs from the source: " + line);
            }
            report.hashes.add(line);
        }
        byte[] head = control.read(RESTORED, restored.get(0).key(), 0, 64);
        report.firstLine = new String(head, StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        report.repositoryOnDisk = treeSize(work.resolve("repository"));
        audit();
    }

    private void audit() {
        report.leftovers = control.leftovers();
        report.violations = control.violations();
        if (!report.leftovers.clean() || !report.violations.isEmpty()) {
            throw new DemoFailure("the harness found something left behind or done out of order: leftovers "
                    + report.leftovers + ", violations " + report.violations);
        }
    }

    private List<Disk> sortedDisks(String vm) {
        return control.vm(vm).disks().stream().sorted(Comparator.comparingInt(Disk::bus).thenComparingInt(Disk::unit))
                .toList();
    }

    /** Starts a job, follows it to its end, and records it; a job that does not succeed stops the demo. */
    private Step job(String what, String path, String body) throws InterruptedException {
        long t0 = System.nanoTime();
        JsonNode accepted = api.start(path, body);
        JsonNode done = api.follow(accepted);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!"SUCCEEDED".equals(done.path("state").asText())) {
            throw new DemoFailure("the " + what + " (job " + done.path("id").asText() + ") ended "
                    + done.path("state").asText() + ": " + done.path("error"));
        }
        done.path("warnings").forEach(w -> out.println("    warning: " + w.asText()));
        Step s = new Step(what, done.path("id").asText(), seconds, done.path("progress").path("bytesDone").asLong(),
                done.path("restorePointId").asText());
        report.steps.add(s);
        return s;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }

    private static long treeSize(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
