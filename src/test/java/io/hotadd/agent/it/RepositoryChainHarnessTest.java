package io.hotadd.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotadd.agent.adapters.repo.KeySource;
import io.hotadd.agent.adapters.repo.LocalStorage;
import io.hotadd.agent.adapters.repo.PackRepository;
import io.hotadd.agent.adapters.repo.RepoConfig;
import io.hotadd.agent.adapters.repo.RepositoryEnvironment;
import io.hotadd.agent.domain.BackupMode;
import io.hotadd.agent.engine.BackupResult;
import io.hotadd.agent.harness.VcsimControl;
import io.hotadd.agent.harness.VcsimExtension;
import io.hotadd.agent.harness.VcsimModel.NewDisk;
import io.hotadd.agent.harness.VcsimModel.NewVm;
import io.hotadd.agent.harness.VcsimModel.Vm;
import io.hotadd.agent.harness.VcsimOptions;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain of ten incremental backups into the real repository, driven by the production engine against the
 * harness: every restore point, exported at the end, equals the disk as it was when that backup ran.
 */
class RepositoryChainHarnessTest {
    private static final long MIB = 1 << 20;

    @RegisterExtension
    static final VcsimExtension VCSIM = new VcsimExtension(VcsimOptions.defaults().proxy(HarnessEngine.PROXY)
            .cbtBlock(64 << 10));

    @TempDir
    static Path repoDir;
    @TempDir
    static Path exports;

    private static ExecutorService workers;
    private static ScheduledExecutorService scheduler;
    private static PackRepository repo;
    private static HarnessEngine engine;

    @BeforeAll
    static void start() {
        workers = Executors.newFixedThreadPool(2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        repo = PackRepository.init(new LocalStorage(repoDir), KeySource.passphrase("chain test"),
                RepoConfig.defaults().withChunkSize(64 << 10).withPackSize(4 << 20), 1000,
                RepositoryEnvironment.standard(workers, 2, scheduler));
        engine = new HarnessEngine(VCSIM.vcsim(), repo);
    }

    @AfterAll
    static void stop() {
        engine.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    private static VcsimControl control() {
        return VCSIM.control();
    }

    @Test
    void everyRestorePointOfATenLinkChainExportsExactlyItsSnapshotTimeContent() throws Exception {
        Vm vm = control().createVm(new NewVm("chain", null, null, true, true,
                List.of(NewDisk.thin(16 * MIB), NewDisk.thin(8 * MIB))));
        Random random = new Random(42);
        Map<String, Map<Integer, String>> expected = new LinkedHashMap<>();
        for (int round = 0; round < 11; round++) {
            for (var disk : vm.disks()) {
                randomWrites(random, disk.key(), disk.capacityBytes(), round);
            }
            BackupResult r = engine.backup("chain-" + round, "chain", BackupMode.AUTO);
            assertEquals(round == 0, r.full(), "round " + round);
            Map<Integer, String> hashes = new LinkedHashMap<>();
            vm.disks().forEach(d -> hashes.put(d.key(), control().hash("chain", d.key()).sha256()));
            expected.put(r.restorePointId(), hashes);
        }
        for (Map.Entry<String, Map<Integer, String>> point : expected.entrySet()) {
            for (Map.Entry<Integer, String> disk : point.getValue().entrySet()) {
                assertEquals(disk.getValue(), exportedHash(point.getKey(), disk.getKey()),
                        "restore point " + point.getKey() + " disk " + disk.getKey());
            }
        }
        assertTrue(control().leftovers().clean(), control().leftovers().toString());
        assertEquals(List.of(), control().violations());
    }

    /** Random data and zeroed ranges at random unaligned offsets: rounding and holes both get exercised. */
    private static void randomWrites(Random random, int key, long capacity, int round) {
        for (int i = 0; i < 6; i++) {
            long length = 1 + random.nextInt(300_000);
            long offset = (long) (random.nextDouble() * (capacity - length));
            String pattern = random.nextInt(4) == 0 ? "zero" : "random:" + round + "-" + i;
            control().writePattern("chain", key, offset, length, pattern);
        }
    }

    private static String exportedHash(String restorePointId, int key) throws Exception {
        Path image = exports.resolve(restorePointId + "-" + key + ".img");
        try (DiskImage disk = repo.openDisk(restorePointId, key)) {
            disk.exportSparse(image);
        }
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(image)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        Files.delete(image);
        return HexFormat.of().formatHex(md.digest());
    }

}
