package io.lifeboat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Hand-made HTTP requests for the bad-input tests: signed by the SDK's own SigV4 signer (with any
 * secret and clock the test wants), unsigned, or raw bytes on a socket.
 */
public final class RawClient {
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect");
    private final TestServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    public RawClient(TestServer server) {
        this.server = server;
    }

    public record Response(int status, String errorType, String contentType, String body) {
    }

    public Response signed(String service, String method, String pathAndQuery, String contentType, byte[] body,
                           String accessKeyId, String secret, Clock clock) {
        URI uri = URI.create(server.endpoint() + pathAndQuery);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        if (contentType != null) {
            unsigned.putHeader("Content-Type", contentType);
        }
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(accessKeyId, secret))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        signed.request().headers().forEach((k, vs) -> {
            if (!RESTRICTED.contains(k.toLowerCase())) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        return send(b.build());
    }

    public Response signed(String service, String method, String pathAndQuery, String contentType, String body) {
        return signed(service, method, pathAndQuery, contentType, body.getBytes(StandardCharsets.UTF_8),
                server.key().accessKeyId(), server.key().secretAccessKey(), Clock.systemUTC());
    }

    public Response unsigned(String method, String pathAndQuery, String contentType, String body) {
        return unsignedWith(method, pathAndQuery, contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }

    public Response unsignedWith(String method, String pathAndQuery, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.endpoint() + pathAndQuery))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return send(b.build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("x-amzn-ErrorType").orElse(null),
                    r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes bytes to a fresh connection and returns whatever comes back before the server closes or 5 s pass. */
    public String rawBytes(byte[] bytes) throws IOException {
        try (Socket s = new Socket(server.endpoint().getHost(), server.endpoint().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(bytes);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            } catch (java.net.SocketTimeoutException e) {
                return "";
            }
        }
    }
}
