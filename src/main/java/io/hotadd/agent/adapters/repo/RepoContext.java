package io.hotadd.agent.adapters.repo;

/** What the parts of an open repository share: storage, settings, keys, the in-memory index and pack buffers. */
record RepoContext(Storage storage, RepoConfig config, ChunkCodec codec, MetadataSealer sealer, ChunkIndex index,
                   RepositoryLocks locks, RepositoryEnvironment env, PackBuffers packBuffers) {

    String location() {
        return storage.location();
    }

    PointRecord point(String id) {
        return PointRecord.load(storage, sealer, id);
    }

    DiskMap map(String pointId, int diskKey) {
        String name = RepoLayout.map(pointId, diskKey);
        return DiskMap.decode(name, sealer.open(name, storage.get(name)));
    }
}
