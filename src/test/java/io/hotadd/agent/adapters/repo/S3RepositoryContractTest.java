package io.hotadd.agent.adapters.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on the S3 backend against a real S3 server (s3proxy) started by the test. Each test gets
 * its own key prefix in one bucket, which is also how several repositories share a bucket.
 */
class S3RepositoryContractTest extends RepositoryMaintenanceContract {
    private static final String BUCKET = "backups";
    private static final AtomicInteger PREFIXES = new AtomicInteger();
    private static S3ProxyServer server;
    private static Path serverFolder;

    @BeforeAll
    static void startServer() throws Exception {
        serverFolder = Files.createTempDirectory("s3proxy");
        server = new S3ProxyServer(serverFolder);
        server.createBucket(BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
        try (var files = Files.walk(serverFolder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected Storage newStorage() {
        return server.storage(BUCKET, "repo-" + PREFIXES.incrementAndGet() + "/");
    }

    @Test
    void missingObjectsAndMissingBucketsAreTypedErrors() {
        Storage s = newStorage();
        assertThrows(ObjectNotFoundException.class, () -> s.get("index/none"));
        s.put("index/a", ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals(2, s.getRange("index/a", 1, 2)[0]);
        s.delete("index/a");
        s.delete("index/a");
        try (S3Storage wrongBucket = server.storage("no-such-bucket", "")) {
            // a listing, not a put: s3proxy answers a put to a missing bucket before reading its body and
            // closes the connection, so under load the client may see a reset instead of the 404
            StorageException e = assertThrows(StorageException.class, () -> wrongBucket.list(""));
            assertFalse(e.isRetriable(), e.getMessage());
        }
    }
}
