package io.lifeboat.store.backend;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository in an S3-compatible bucket under a prefix. A single PUT is atomic in S3 (readers see
 * the old object, none, or the whole new one), which gives {@link Backend#put}'s guarantee without
 * temporaries. Path-style addressing, so MinIO, S3Proxy and Ceph work as well as AWS.
 */
public final class S3Backend implements Backend {
    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3Backend(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /**
     * A client for an S3-compatible endpoint with static credentials. It sends no
     * {@code Expect: 100-continue}: the JDK's URL connection fails a reused keep-alive connection on
     * that handshake instead of retrying it (seen against S3Proxy), and pack PUTs gain nothing from it.
     */
    public static S3Client client(URI endpoint, String region, String accessKey, String secretKey) {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(region)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
                                                            ExecutionAttributes attributes) {
                        return context.httpRequest().toBuilder().removeHeader("Expect").build();
                    }
                }))
                .build();
    }

    private String key(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("..")) {
            throw new IllegalArgumentException("invalid object name: " + name);
        }
        return prefix + name;
    }

    @Override
    public void put(String name, byte[] bytes) throws IOException {
        String key = key(name);
        call(name, () -> s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes)));
    }

    @Override
    public void put(String name, ByteBuffer data) throws IOException {
        String key = key(name);
        RequestBody body = RequestBody.fromRemainingByteBuffer(data.duplicate());
        call(name, () -> s3.putObject(b -> b.bucket(bucket).key(key), body));
    }

    @Override
    public byte[] get(String name) throws IOException {
        String key = key(name);
        return call(name, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
    }

    @Override
    public byte[] get(String name, long offset, int length) throws IOException {
        if (length == 0 || offset >= size(name)) {
            return new byte[0];
        }
        String key = key(name);
        String range = "bytes=" + offset + "-" + (offset + length - 1);
        return call(name, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key).range(range)).asByteArray());
    }

    @Override
    public long size(String name) throws IOException {
        String key = key(name);
        return call(name, () -> s3.headObject(b -> b.bucket(bucket).key(key)).contentLength());
    }

    @Override
    public boolean exists(String name) throws IOException {
        try {
            size(name);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public List<String> list(String listPrefix) throws IOException {
        String full = prefix + listPrefix;
        return call(listPrefix, () -> {
            List<String> names = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(full)).contents()) {
                names.add(o.key().substring(prefix.length()));
            }
            names.sort(null);
            return names;
        });
    }

    @Override
    public void delete(String name) throws IOException {
        String key = key(name);
        call(name, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    private interface Call<T> {
        T run();
    }

    /** S3's errors as the I/O errors the Backend contract speaks. */
    private <T> T call(String name, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(name);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(name);
            }
            throw new IOException("s3://" + bucket + "/" + prefix + name + ": " + e.awsErrorDetails().errorMessage(), e);
        } catch (SdkException e) {
            throw new IOException("s3://" + bucket + "/" + prefix + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
