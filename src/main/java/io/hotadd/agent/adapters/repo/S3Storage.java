package io.hotadd.agent.adapters.repo;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A repository in an S3 bucket (AWS or any S3-compatible server), under an optional key prefix. A single
 * PUT is atomic and, since S3's strong consistency, listed at once, which is all {@link Storage} asks.
 * Several proxies can share one bucket prefix: each writes packs, index files and restore points under
 * random names, and the lock protocol ({@link RepositoryLocks}) needs only put, list and delete.
 *
 * <p>Checksums beyond the SDK's defaults for non-AWS servers are not needed: every object the repository
 * reads back is authenticated by AES-GCM.
 */
public final class S3Storage implements Storage {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /**
     * @param endpoint  the server, e.g. {@code https://s3.eu-west-1.amazonaws.com} or a MinIO/Ceph address
     * @param pathStyle true for servers without virtual-host buckets (most S3-compatible servers)
     * @param prefix    key prefix of the repository inside the bucket, empty or ending in {@code /}
     */
    public record Settings(URI endpoint, String region, String bucket, String prefix, String accessKey,
                           String secretKey, boolean pathStyle) {
        @Override
        public String toString() {
            return "S3Storage.Settings[" + endpoint + ", bucket " + bucket + ", prefix " + prefix + "]";
        }
    }

    S3Storage(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    public static S3Storage connect(Settings s) {
        if (!s.prefix().isEmpty() && !s.prefix().endsWith("/")) {
            throw new IllegalArgumentException("S3 prefix '" + s.prefix() + "' must be empty or end with '/'");
        }
        S3Client client = S3Client.builder()
                .endpointOverride(s.endpoint())
                .region(Region.of(s.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s.accessKey(), s.secretKey())))
                .forcePathStyle(s.pathStyle())
                // SDK 2.30+ sends CRC trailers by default; many S3-compatible servers reject them
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofMinutes(2))
                        .connectionTimeout(Duration.ofSeconds(30)).build())
                .build();
        return new S3Storage(client, s.bucket(), s.prefix());
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void put(String name, ByteBuffer content) {
        int length = content.remaining();
        call(name, "write", () -> s3.putObject(b -> b.bucket(bucket).key(prefix + name).contentLength((long) length),
                RequestBody.fromByteBuffer(content)));
    }

    @Override
    public byte[] get(String name) {
        return call(name, "read", () -> s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket)
                .key(prefix + name).build()).asByteArray());
    }

    @Override
    public byte[] getRange(String name, long offset, int length) {
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        byte[] b = call(name, "read " + range + " of", () -> s3.getObjectAsBytes(GetObjectRequest.builder()
                .bucket(bucket).key(prefix + name).range(range).build()).asByteArray());
        if (b.length != length) {
            throw new StorageException(location() + name, "short read of " + name + ": " + b.length + " of " + length
                    + " bytes at " + offset, true, null);
        }
        return b;
    }

    @Override
    public List<StoredObject> list(String namePrefix) {
        return call(namePrefix, "list", () -> {
            List<StoredObject> out = new ArrayList<>();
            s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + namePrefix).build())
                    .contents().stream()
                    .filter(o -> !o.key().endsWith("/")) // folder markers some servers and consoles create
                    .forEach(o -> out.add(new StoredObject(o.key().substring(prefix.length()), o.size())));
            return out;
        });
    }

    @Override
    public void delete(String name) {
        call(name, "delete", () -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + name)));
    }

    @Override
    public void close() {
        s3.close();
    }

    private <T> T call(String name, String operation, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(location() + name, "bucket " + bucket);
        } catch (S3Exception e) {
            throw failure(name, operation, e, e.statusCode());
        } catch (SdkClientException e) {
            throw new StorageException(location() + name, "cannot " + operation + " " + location() + name + ": "
                    + e.getMessage() + "; check the network path to the S3 endpoint", true, e);
        }
    }

    /** 403 and 404 need an operator (credentials, policy, bucket name); throttling and 5xx pass. */
    private StorageException failure(String name, String operation, SdkException e, int status) {
        String object = location() + name;
        if (status == 403) {
            return new StorageException(object, "cannot " + operation + " " + object + ": access denied; check the"
                    + " access key and the bucket policy", false, e);
        }
        if (status == 404) {
            return new StorageException(object, "cannot " + operation + " " + object + ": bucket " + bucket
                    + " not found; create it or fix the bucket name", false, e);
        }
        boolean retriable = status >= 500 || status == 429 || status == 408;
        return new StorageException(object, "cannot " + operation + " " + object + ": HTTP " + status + " "
                + e.getMessage(), retriable, e);
    }
}
