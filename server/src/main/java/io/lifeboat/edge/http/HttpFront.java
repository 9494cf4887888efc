package io.lifeboat.edge.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single HTTP listener. Each request runs on its own virtual thread; the body is read whole
 * up to a bound (control-plane requests are small), anything larger is refused before it is read.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    public HttpFront(InetSocketAddress address, long maxBodyBytes,
                     Function<WireRequest, WireResponse> handler,
                     Function<Long, WireResponse> tooLarge) throws IOException {
        server = HttpServer.create(address, 512);
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, maxBodyBytes, handler, tooLarge));
    }

    public void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    private static void serve(HttpExchange exchange, long maxBodyBytes,
                              Function<WireRequest, WireResponse> handler,
                              Function<Long, WireResponse> tooLarge) {
        try (exchange) {
            String declared = exchange.getRequestHeaders().getFirst("Content-Length");
            long length = declared == null ? -1 : parseLength(declared);
            WireResponse response;
            if (length > maxBodyBytes) {
                response = tooLarge.apply(maxBodyBytes);
            } else {
                byte[] body = readBounded(exchange.getRequestBody(), maxBodyBytes);
                response = body == null ? tooLarge.apply(maxBodyBytes) : handler.apply(toWire(exchange, body));
            }
            write(exchange, response);
        } catch (IOException e) {
            LOG.debug("connection closed while serving {} {}: {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(), e.toString());
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Reads the body, or returns null once it exceeds the bound (chunked bodies have no length). */
    private static byte[] readBounded(InputStream in, long max) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        return body.length > max ? null : body;
    }

    private static WireRequest toWire(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        var uri = exchange.getRequestURI();
        return new WireRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private static void write(HttpExchange exchange, WireResponse response) throws IOException {
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        byte[] body = response.body();
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.status(), body.length == 0 || head ? -1 : body.length);
        if (body.length > 0 && !head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
