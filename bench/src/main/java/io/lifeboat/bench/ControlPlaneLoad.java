package io.lifeboat.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Control-plane load: N client threads, each on its own keep-alive connection, run one operation
 * for a fixed time. Requests are SigV4-signed before the clock starts (a signature stays valid for
 * minutes), so the two cores go to the server rather than to the client's signer; every create
 * still carries its own name and signature. Reports requests/s and latency percentiles of
 * successful (2xx) responses, one JSON line per operation.
 *
 * <pre>java -jar lifeboat-bench.jar ENDPOINT ACCESS_KEY SECRET [threads] [seconds] [ops] [rate]</pre>
 * ops: comma-separated of create-backup-vault, list-backup-vaults, get-backup-plan. Without a rate
 * each thread sends its next request as soon as the last is answered (closed loop, saturation);
 * with one, the threads together send {@code rate} requests/s on a fixed schedule and latency
 * counts from the scheduled send time, so a stall is not hidden by the requests it delayed.
 */
public final class ControlPlaneLoad {
    /** Enough distinct creates for 12 s at 25,000 requests/s. */
    private static final int PRESIGNED_CREATES = 300_000;
    private final URI endpoint;
    private final AwsCredentialsIdentity credentials;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    private ControlPlaneLoad(URI endpoint, String accessKey, String secret) {
        this.endpoint = endpoint;
        this.credentials = AwsCredentialsIdentity.create(accessKey, secret);
    }

    public static void main(String[] args) throws Exception {
        ControlPlaneLoad load = new ControlPlaneLoad(URI.create(args[0]), args[1], args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        double seconds = args.length > 4 ? Double.parseDouble(args[4]) : 10;
        String ops = args.length > 5 ? args[5] : "list-backup-vaults,get-backup-plan,create-backup-vault";
        double rate = args.length > 6 ? Double.parseDouble(args[6]) : 0;
        String run = UUID.randomUUID().toString().substring(0, 6);
        try (Connection c = load.connect()) {
            for (int i = 0; i < 10; i++) {
                c.expectOk(load.sign("PUT", "/backup-vaults/bench-seed-" + run + "-" + i, "{}"));
            }
            String planBody = "{\"BackupPlan\":{\"BackupPlanName\":\"bench-" + run + "\",\"Rules\":[{\"RuleName\":"
                    + "\"daily\",\"TargetBackupVaultName\":\"bench-seed-" + run + "-0\",\"ScheduleExpression\":"
                    + "\"cron(0 5 ? * * *)\",\"Lifecycle\":{\"DeleteAfterDays\":35}}]}}";
            String planJson = c.expectOk(load.sign("PUT", "/backup/plans/", planBody));
            Matcher m = Pattern.compile("\"BackupPlanId\"\\s*:\\s*\"([^\"]+)\"").matcher(planJson);
            String planId = m.find() ? m.group(1) : "missing";
            for (String op : ops.split(",")) {
                byte[][] signed = new byte[op.equals("create-backup-vault") ? PRESIGNED_CREATES : 64][];
                for (int i = 0; i < signed.length; i++) {
                    signed[i] = switch (op) {
                        case "create-backup-vault" -> load.sign("PUT", "/backup-vaults/bench-" + run + "-" + i, "{}");
                        case "list-backup-vaults" -> load.sign("GET", "/backup-vaults/", "");
                        case "get-backup-plan" -> load.sign("GET", "/backup/plans/" + planId + "/", "");
                        default -> throw new IllegalArgumentException("unknown op " + op);
                    };
                }
                AtomicLong seq = new AtomicLong();
                Result r = load.phase(threads, seconds, rate, () -> {
                    long n = seq.getAndIncrement();
                    if (op.equals("create-backup-vault") && n >= signed.length) {
                        throw new IOException("ran out of pre-signed creates; raise PRESIGNED_CREATES");
                    }
                    return signed[(int) (n % signed.length)];
                });
                System.out.println(r.json(op, threads, seconds, rate));
            }
        }
    }

    record Result(long ok, long errors, long[] latenciesNanos, String firstError) {
        String json(String op, int threads, double seconds, double rate) {
            long[] sorted = latenciesNanos.clone();
            Arrays.sort(sorted);
            return String.format(Locale.ROOT, "{\"op\":\"%s\",\"threads\":%d,\"seconds\":%.1f,\"target_rate\":%.0f,"
                            + "\"ok\":%d,\"errors\":%d,\"req_per_s\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,"
                            + "\"first_error\":%s}",
                    op, threads, seconds, rate, ok, errors, ok / seconds, pct(sorted, 0.50), pct(sorted, 0.99),
                    sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6,
                    firstError == null ? "null" : "\"" + firstError.replace("\"", "'") + "\"");
        }

        private static double pct(long[] sorted, double q) {
            if (sorted.length == 0) {
                return Double.NaN;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
        }
    }

    interface RequestSource {
        byte[] next() throws IOException;
    }

    private Result phase(int threads, double seconds, double rate, RequestSource source) throws Exception {
        long intervalNanos = rate > 0 ? (long) (threads * 1e9 / rate) : 0;
        long warmupEnd = System.nanoTime() + 2_000_000_000L; // JIT and connection warm-up, not measured
        long end = warmupEnd + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        List<long[]> perThread = new ArrayList<>();
        long[] okCounts = new long[threads];
        long[] errCounts = new long[threads];
        String[] errors = new String[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            long[] lat = new long[2_000_000];
            perThread.add(lat);
            workers.add(Thread.ofPlatform().start(() -> {
                try (Connection c = connect()) {
                    long scheduled = System.nanoTime() + id * intervalNanos / threads;
                    while (true) {
                        byte[] request = source.next();
                        long start;
                        if (intervalNanos > 0) {
                            while (System.nanoTime() < scheduled) {
                                java.util.concurrent.locks.LockSupport.parkNanos(scheduled - System.nanoTime());
                            }
                            start = scheduled;
                            scheduled += intervalNanos;
                        } else {
                            start = System.nanoTime();
                        }
                        if (start >= end) {
                            break;
                        }
                        Response r = c.exchange(request);
                        long took = System.nanoTime() - start;
                        if (start < warmupEnd) {
                            continue;
                        }
                        if (r.status / 100 == 2) {
                            if (okCounts[id] < lat.length) {
                                lat[(int) okCounts[id]] = took;
                            }
                            okCounts[id]++;
                        } else {
                            errCounts[id]++;
                            if (errors[id] == null) {
                                errors[id] = r.status + " " + r.body.substring(0, Math.min(160, r.body.length()));
                            }
                        }
                    }
                } catch (IOException e) {
                    errors[id] = e.toString();
                }
            }));
        }
        for (Thread w : workers) {
            w.join();
        }
        long ok = Arrays.stream(okCounts).sum();
        long[] all = new long[(int) Math.min(ok, Integer.MAX_VALUE - 8)];
        int k = 0;
        for (int t = 0; t < threads; t++) {
            int n = (int) Math.min(okCounts[t], perThread.get(t).length);
            System.arraycopy(perThread.get(t), 0, all, k, n);
            k += n;
        }
        String firstError = Arrays.stream(errors).filter(e -> e != null).findFirst().orElse(null);
        return new Result(ok, Arrays.stream(errCounts).sum(), Arrays.copyOf(all, k), firstError);
    }

    byte[] sign(String method, String path, String body) {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().uri(endpoint.resolve(path))
                .method(SdkHttpMethod.fromValue(method));
        if (payload.length > 0) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        var signed = signer.sign(r -> r.identity(credentials).request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(payload))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "backup")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(software.amazon.awssdk.http.auth.spi.signer.HttpSigner.SIGNING_CLOCK, Clock.systemUTC()));
        StringBuilder sb = new StringBuilder(512);
        sb.append(method).append(' ').append(signed.request().encodedPath()).append(" HTTP/1.1\r\n");
        sb.append("Host: ").append(endpoint.getHost()).append(':').append(endpoint.getPort()).append("\r\n");
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("host")) {
                sb.append(h.getKey()).append(": ").append(String.join(",", h.getValue())).append("\r\n");
            }
        }
        sb.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = Arrays.copyOf(head, head.length + payload.length);
        System.arraycopy(payload, 0, all, head.length, payload.length);
        return all;
    }

    Connection connect() {
        return new Connection(endpoint.getHost(), endpoint.getPort());
    }

    record Response(int status, String body) {
    }

    /**
     * One HTTP/1.1 connection, kept alive while the server allows it; a server that closes after
     * each response (HTTP/1.0, "Connection: close") gets a new connection for the next request,
     * and that connect time counts in the request's latency.
     */
    static final class Connection implements AutoCloseable {
        private final String host;
        private final int port;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(String host, int port) {
            this.host = host;
            this.port = port;
        }

        private void open() throws IOException {
            socket = new Socket(host, port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 65536);
        }

        String expectOk(byte[] request) throws IOException {
            Response r = exchange(request);
            if (r.status / 100 != 2) {
                throw new IOException("setup request failed: " + r.status + " " + r.body);
            }
            return r.body;
        }

        Response exchange(byte[] request) throws IOException {
            if (socket == null) {
                open();
            }
            out.write(request);
            out.flush();
            String status = line();
            int code = Integer.parseInt(status.split(" ")[1]);
            int length = 0;
            boolean chunked = false;
            boolean close = status.startsWith("HTTP/1.0");
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("connection:")) {
                    close = lower.contains("close");
                } else if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] body;
            if (chunked) {
                java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    buf.write(in.readNBytes(n));
                    line();
                }
                line();
                body = buf.toByteArray();
            } else {
                body = in.readNBytes(length);
            }
            if (close) {
                close();
            }
            return new Response(code, new String(body, StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            if (c == -1 && sb.isEmpty()) {
                throw new IOException("connection closed");
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
        }
    }
}
