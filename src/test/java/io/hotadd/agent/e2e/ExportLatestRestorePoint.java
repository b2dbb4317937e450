package io.hotadd.agent.e2e;

import io.hotadd.agent.adapters.repo.KeySource;
import io.hotadd.agent.adapters.repo.LocalStorage;
import io.hotadd.agent.adapters.repo.PackRepository;
import io.hotadd.agent.adapters.repo.RepositoryEnvironment;
import io.hotadd.agent.port.BackupRepository.DiskImage;
import io.hotadd.agent.port.BackupRepository.DiskSummary;
import io.hotadd.agent.port.BackupRepository.RestorePoint;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The appliance end-to-end test's export step (ova-build/e2e-test.sh), run on the host after the appliance
 * powered off: opens the repository the agent wrote inside the appliance (copied off its disk), with the
 * passphrase the appliance was deployed with, takes the newest restore point of the named VM and streams each
 * disk through the repository's own export ({@link DiskImage#writeTo}), printing one line per disk:
 * {@code disk <key> <uuid> <capacity> <sha256>}, first a line {@code point <id> <vm name> <disk count>}.
 *
 * <p>Usage: {@code ExportLatestRestorePoint <repository dir> <passphrase file> <vm name>}; exit 1 when there
 * is no restore point of that VM.
 */
public final class ExportLatestRestorePoint {

    private ExportLatestRestorePoint() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ExportLatestRestorePoint <repository dir> <passphrase file> <vm name>");
            System.exit(2);
        }
        char[] passphrase = Files.readAllLines(Path.of(args[1])).get(0).strip().toCharArray();
        ExecutorService workers = Executors.newFixedThreadPool(2);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try {
            PackRepository repo = PackRepository.open(new LocalStorage(Path.of(args[0])),
                    new KeySource.Passphrase(passphrase), RepositoryEnvironment.standard(workers, 2, timer));
            Optional<RestorePoint> latest = repo.list(Optional.empty()).stream()
                    .filter(p -> p.vmName().equals(args[2])).findFirst();
            if (latest.isEmpty()) {
                System.err.println("no restore point of VM " + args[2] + " in " + args[0]);
                System.exit(1);
            }
            export(repo, latest.get());
        } finally {
            workers.shutdownNow();
            timer.shutdownNow();
        }
    }

    private static void export(PackRepository repo, RestorePoint point) throws Exception {
        List<DiskSummary> disks = point.disks();
        System.out.println("point " + point.id() + " " + point.vmName() + " " + disks.size());
        for (DiskSummary disk : disks) {
            DigestChannel digest = new DigestChannel();
            try (DiskImage image = repo.openDisk(point.id(), disk.key())) {
                image.writeTo(digest);
            }
            System.out.println("disk " + disk.key() + " " + disk.uuid() + " " + digest.bytes + " " + digest.hex());
        }
    }

    /** A channel that only hashes what is written to it. */
    private static final class DigestChannel implements WritableByteChannel {
        private final MessageDigest md;
        private long bytes;

        DigestChannel() throws NoSuchAlgorithmException {
            md = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            md.update(src);
            bytes += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }

        String hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
