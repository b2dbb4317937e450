package io.hotadd.agent.adapters.repo;

import io.hotadd.agent.port.BackupRepository;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The backup repository: deduplicated, compressed, encrypted restore points in packs on a {@link Storage}
 * (a local or NFS folder, an S3 bucket). The on-disk format is described in docs/repository-format.md.
 *
 * <p>Several processes (proxies) may write to one repository at once, each under a shared lock; prune
 * takes an exclusive lock. Every object is written atomically and the restore point header last, so a
 * crash at any moment leaves a repository in which every visible restore point is complete.
 */
public final class PackRepository implements BackupRepository {
    private final RepoContext repo;
    private final Map<String, PointRecord> points = new ConcurrentHashMap<>();

    private PackRepository(RepoContext repo) {
        this.repo = repo;
    }

    /**
     * Creates a repository: random master keys wrapped for {@code key}, then the config object, whose
     * presence is what makes the location a repository.
     *
     * @param kdfIterations PBKDF2 iterations for a passphrase (see {@link KeyStore#DEFAULT_ITERATIONS})
     * @throws RepositoryFormatException when there is a repository there already or a setting is out of range
     */
    public static PackRepository init(Storage storage, KeySource key, RepoConfig settings, int kdfIterations,
                                      RepositoryEnvironment env) {
        if (!storage.list(RepoLayout.CONFIG).isEmpty()) {
            throw new RepositoryFormatException("there is a repository in " + storage.location() + " already;"
                    + " open it, or choose an empty location");
        }
        if (kdfIterations < KeyStore.MIN_ITERATIONS) {
            throw new RepositoryFormatException(kdfIterations + " PBKDF2 iterations are too few; use at least "
                    + KeyStore.MIN_ITERATIONS + " (default " + KeyStore.DEFAULT_ITERATIONS + ")");
        }
        RepoConfig config = settings.withId(Ids.randomHex(env.random(), 16)).validated(storage.location());
        byte[] material = new byte[MasterKeys.BYTES];
        env.random().nextBytes(material);
        MasterKeys keys = new MasterKeys(material);
        KeyStore.add(storage, config.id(), keys, key, kdfIterations, env.random());
        config.store(storage);
        return new PackRepository(context(storage, config, keys, env));
    }

    /**
     * Opens an existing repository.
     *
     * @throws RepositoryFormatException when there is none, or of an unknown format version
     * @throws WrongKeyException         when {@code key} opens none of its keys
     */
    public static PackRepository open(Storage storage, KeySource key, RepositoryEnvironment env) {
        RepoConfig config = RepoConfig.load(storage);
        MasterKeys keys = KeyStore.unlock(storage, config.id(), key);
        PackRepository r = new PackRepository(context(storage, config, keys, env));
        r.repo.index().refresh(storage, r.repo.sealer());
        return r;
    }

    private static RepoContext context(Storage storage, RepoConfig config, MasterKeys keys,
                                       RepositoryEnvironment env) {
        RepositoryLocks locks = new RepositoryLocks(storage, env.clock(), env.random(), env.host(), env.pid(),
                env.staleLockAfter(), env.pidAlive());
        return new RepoContext(storage, config, new ChunkCodec(keys, env.random()),
                new MetadataSealer(keys, env.random()), new ChunkIndex(), locks, env,
                new PackBuffers(config.packSize(), config.chunkSize(), env.parallelism() + 1));
    }

    public RepoConfig config() {
        return repo.config();
    }

    /** Whether there is a repository in the storage (its config object exists). */
    public static boolean exists(Storage storage) {
        return !storage.list(RepoLayout.CONFIG).isEmpty();
    }

    /** Where the repository is, for messages: a folder or a bucket URL, never a credential. */
    public String location() {
        return repo.location();
    }

    /**
     * Proves the repository accepts writes now: takes and releases a shared lock, which writes and deletes a
     * lock object. Fails as a prune's exclusive lock or the storage would make a backup fail.
     */
    public void probeWritable() {
        try (RepositoryLock lock = repo.locks().acquire(false, "readiness probe")) {
            lock.checkHeld();
        }
    }

    @Override
    public RestorePointWriter begin(NewRestorePoint spec) {
        RepositoryLock lock = repo.locks().acquire(false, "backup of VM " + spec.vmName() + " (job " + spec.jobId()
                + ")");
        try {
            repo.index().refresh(repo.storage(), repo.sealer());
            return new PointWriter(repo, spec, lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public List<RestorePoint> list(Optional<String> vmKey) {
        List<RestorePoint> out = new ArrayList<>();
        for (PointRecord p : pointRecords()) {
            if (vmKey.isEmpty() || vmKey.get().equals(p.vmKey())) {
                out.add(p.toRestorePoint());
            }
        }
        out.sort(Comparator.comparing(RestorePoint::committedAt).thenComparing(RestorePoint::id).reversed());
        return out;
    }

    /** Every visible restore point's header; headers are immutable, so they are cached once read. */
    List<PointRecord> pointRecords() {
        List<PointRecord> out = new ArrayList<>();
        List<String> ids = repo.storage().list(RepoLayout.POINTS).stream()
                .map(o -> RepoLayout.lastSegment(o.name())).toList();
        points.keySet().retainAll(ids);
        for (String id : ids) {
            try {
                out.add(points.computeIfAbsent(id, repo::point));
            } catch (ObjectNotFoundException e) {
                continue; // deleted by prune between list and read
            }
        }
        return out;
    }

    @Override
    public Optional<RestorePoint> find(String restorePointId) {
        return findRecord(restorePointId).map(PointRecord::toRestorePoint);
    }

    private Optional<PointRecord> findRecord(String id) {
        if (!id.matches("[0-9a-f]{32}")) {
            return Optional.empty();
        }
        try {
            return Optional.of(points.computeIfAbsent(id, repo::point));
        } catch (ObjectNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public DiskImage openDisk(String restorePointId, int diskKey) {
        PointRecord point = findRecord(restorePointId).orElseThrow(() -> new IllegalArgumentException(
                "no restore point " + restorePointId + " in " + repo.location()));
        PointRecord.DiskRecord disk = point.disk(diskKey).orElseThrow(() -> new IllegalArgumentException(
                "restore point " + restorePointId + " has no disk " + diskKey + "; it has " + point.disks().stream()
                        .map(d -> d.key() + " (" + d.label() + ")").toList()));
        RepositoryLock lock = repo.locks().acquire(false, "read of restore point " + restorePointId);
        try {
            repo.index().refresh(repo.storage(), repo.sealer());
            return new PackedDiskImage(repo, point, disk, repo.map(restorePointId, diskKey), lock);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    @Override
    public Optional<byte[]> vmConfig(String restorePointId) {
        Optional<PointRecord> point = findRecord(restorePointId);
        if (point.isEmpty() || !point.get().hasVmConfig()) {
            return Optional.empty();
        }
        String name = RepoLayout.vmConfig(restorePointId);
        return Optional.of(repo.sealer().open(name, repo.storage().get(name)));
    }

    /**
     * Deletes the restore point's header, which is what makes it visible: from then on it is not listed and
     * cannot be read. Its maps and the chunks only it used stay until the next prune collects them (prune
     * deletes headers the same way, as its first change). Under a shared lock, so it never interleaves with
     * a prune; writers building on it already hold its map, and each restore point is self-contained.
     */
    @Override
    public void delete(String restorePointId) {
        if (findRecord(restorePointId).isEmpty()) {
            throw new RestorePointNotFound(restorePointId);
        }
        try (RepositoryLock lock = repo.locks().acquire(false, "delete of restore point " + restorePointId)) {
            repo.storage().delete(RepoLayout.point(restorePointId));
        }
        points.remove(restorePointId);
    }

    /** Checks every chunk and every reference; see {@link RepositoryVerifier}. */
    public VerifyReport verify() {
        try (RepositoryLock lock = repo.locks().acquire(false, "verify")) {
            repo.index().refresh(repo.storage(), repo.sealer());
            return new RepositoryVerifier(repo, pointRecords()).run();
        }
    }

    /** Forgets restore points and removes the data only they used; see {@link RepositoryPruner}. */
    public PruneReport prune(PrunePlan plan) {
        try (RepositoryLock lock = repo.locks().acquire(true, "prune")) {
            long every = repo.env().lockRefresh().toMillis();
            var refresher = repo.env().scheduler().scheduleAtFixedRate(lock::refresh, every, every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            try {
                PruneReport report = new RepositoryPruner(repo, plan, lock).run();
                points.clear();
                return report;
            } finally {
                refresher.cancel(false);
            }
        }
    }
}
