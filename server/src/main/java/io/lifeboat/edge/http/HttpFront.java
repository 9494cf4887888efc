package io.lifeboat.edge.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single HTTP listener (Jetty 12 core, no servlets). Each request runs on its own virtual
 * thread; the body is read whole up to a bound (control-plane requests are small) and anything
 * declared larger is refused before it is read. URIs are taken raw: AWS clients send ARNs with
 * percent-encoded slashes in path labels, and SigV4 signs the encoded form.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    private static final byte[] NO_BODY = new byte[0];

    private final Server server;
    private final ServerConnector connector;

    public HttpFront(InetSocketAddress address, long maxBodyBytes,
                     Function<WireRequest, WireResponse> handler,
                     Function<Long, WireResponse> tooLarge) {
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("lifeboat-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        config.setUriCompliance(UriCompliance.from("LEGACY,AMBIGUOUS_PATH_SEPARATOR,AMBIGUOUS_PATH_ENCODING"));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setAcceptQueueSize(512);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Handler.Abstract.InvocationType.BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                serve(request, response, callback, maxBodyBytes, handler, tooLarge);
                return true;
            }
        });
    }

    public void start() throws IOException {
        try {
            server.start();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot start the HTTP listener: " + e.getMessage(), e);
        }
    }

    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return connector.getHost();
    }

    private static void serve(Request request, Response response, Callback callback, long maxBodyBytes,
                              Function<WireRequest, WireResponse> handler, Function<Long, WireResponse> tooLarge) {
        try {
            WireResponse out;
            if (request.getLength() > maxBodyBytes) {
                out = tooLarge.apply(maxBodyBytes);
            } else {
                byte[] body = readBounded(Content.Source.asInputStream(request), request.getLength(), maxBodyBytes);
                out = body == null ? tooLarge.apply(maxBodyBytes) : handler.apply(toWire(request, body));
            }
            write(response, out, callback);
        } catch (IOException e) {
            LOG.debug("connection failed while serving {} {}: {}", request.getMethod(),
                    request.getHttpURI().getPath(), e.toString());
            callback.failed(e);
        }
    }

    /**
     * Reads the body, or returns null once it exceeds the bound. A declared length (at most the bound)
     * is read into an array of exactly that size: the open-ended read allocates a buffer per 16 KiB
     * step, which was a third of all the bytes a small request allocated. Chunked bodies have no length.
     */
    private static byte[] readBounded(InputStream in, long declared, long max) throws IOException {
        if (declared == 0) {
            return NO_BODY;
        }
        if (declared > 0) {
            byte[] body = new byte[(int) declared];
            if (in.readNBytes(body, 0, body.length) < body.length) {
                throw new EOFException("the request body ended before its Content-Length");
            }
            return body;
        }
        byte[] body = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
        return body.length > max ? null : body;
    }

    private static WireRequest toWire(Request request, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), k -> new ArrayList<>(1)).add(field.getValue());
        }
        HttpURI uri = request.getHttpURI();
        return new WireRequest(request.getMethod(), uri.getPath(), uri.getQuery(), headers, body);
    }

    private static void write(Response response, WireResponse out, Callback callback) {
        response.setStatus(out.status());
        out.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put("Content-Length", out.body().length);
        response.write(true, ByteBuffer.wrap(out.body()), callback);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP listener did not stop cleanly: {}", e.toString());
        }
    }
}
