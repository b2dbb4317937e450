package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.repo.KeySource;
import io.hotadd.agent.adapters.repo.LocalStorage;
import io.hotadd.agent.adapters.repo.PackRepository;
import io.hotadd.agent.adapters.repo.RepoConfig;
import io.hotadd.agent.adapters.repo.RepositoryEnvironment;
import io.hotadd.agent.domain.SnapshotRef;
import io.hotadd.agent.domain.VmRef;
import io.hotadd.agent.harness.Vcsim;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.VmConfigSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The production engine on the harness with the real repository, for restore tests: backups go in through
 * HotAdd, restores come back out through it, and what came back is compared with the restore point's own
 * export and with the configuration the backup captured.
 */
final class RestoreHarness implements AutoCloseable {
    final PackRepository repo;
    final HarnessEngine engine;
    private final Vcsim vcsim;
    private final Path exports;
    private final ExecutorService workers = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    RestoreHarness(Vcsim vcsim, Path repoDir, Path exports) {
        this.vcsim = vcsim;
        this.exports = exports;
        repo = PackRepository.init(new LocalStorage(repoDir), KeySource.passphrase("restore test"),
                RepoConfig.defaults().withChunkSize(64 << 10).withPackSize(4 << 20), 1000,
                RepositoryEnvironment.standard(workers, 2, scheduler));
        engine = new HarnessEngine(vcsim, repo);
    }

    VcsimControl control() {
        return vcsim.control();
    }

    /** SHA-256 of the restore point's disk exported as a raw image: what a restored disk must hash to. */
    String exportedHash(String restorePointId, int diskKey) {
        Path image = exports.resolve(restorePointId + "-" + diskKey + ".img");
        try (DiskImage disk = repo.openDisk(restorePointId, diskKey)) {
            disk.exportSparse(image);
        }
        return sha256(image);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The configuration of a VM as a backup would capture it now (snapshot, capture, snapshot removed). */
    VmConfigSummary summaryOf(VmRef vm) {
        SnapshotRef snapshot = engine.vsphere.createSnapshot(vm, "inspect", "", false);
        try {
            return engine.vsphere.captureConfig(vm, snapshot).summary();
        } finally {
            engine.vsphere.removeSnapshot(snapshot);
        }
    }

    /**
     * The restored VM has the source's configuration on every field the summary captures: guest, hardware
     * version, firmware, CPUs, memory, controllers, disks (capacity, provisioning, mode, where they sit), NICs
     * (type, mapped network), encryption key, bundle, vTPM, vApp properties, change tracking.
     */
    static void assertSameConfiguration(VmConfigSummary source, VmConfigSummary restored,
                                        Map<String, String> networkMap) {
        assertEquals(source.guestId(), restored.guestId());
        assertEquals(source.hardwareVersion(), restored.hardwareVersion());
        assertEquals(source.firmware(), restored.firmware());
        assertEquals(source.numCpu(), restored.numCpu());
        assertEquals(source.coresPerSocket(), restored.coresPerSocket());
        assertEquals(source.memoryMb(), restored.memoryMb());
        assertEquals(source.changeTracking(), restored.changeTracking());
        assertEquals(source.keyId(), restored.keyId());
        assertEquals(source.hasEncryptionBundle(), restored.hasEncryptionBundle());
        assertEquals(source.hasVtpm(), restored.hasVtpm());
        assertEquals(source.vAppPropertyIds(), restored.vAppPropertyIds());
        assertEquals(placed(source), placed(restored), "disks: capacity, provisioning, mode, controller, unit");
        assertEquals(source.nics().stream().map(n -> n.adapterType() + " on " + networkMap.getOrDefault(n.network(),
                n.network())).sorted().toList(), restored.nics().stream().map(n -> n.adapterType() + " on "
                + n.network()).sorted().toList());
        assertTrue(restored.nics().stream().noneMatch(n -> source.nics().stream()
                .anyMatch(s -> s.macAddress() != null && s.macAddress().equals(n.macAddress()))), "new MAC addresses");
    }

    private static List<String> placed(VmConfigSummary s) {
        return s.disks().stream().sorted(Comparator.comparing(VmConfigSummary.Disk::unitNumber)).map(d -> {
            VmConfigSummary.Controller c = s.controller(d.controllerKey()).orElseThrow();
            return c.type() + " bus " + c.busNumber() + " unit " + d.unitNumber() + ": " + d.capacityBytes() + " "
                    + d.provisioning() + " " + d.mode();
        }).toList();
    }

    @Override
    public void close() {
        engine.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }
}
