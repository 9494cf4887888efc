package io.lifeboat.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lifeboat.edge.Gateway;
import io.lifeboat.edge.http.WireRequest;
import io.lifeboat.edge.http.WireResponse;
import io.lifeboat.edge.sigv4.Principal;
import io.lifeboat.engine.scheduler.Scheduler;
import io.lifeboat.engine.time.ServiceClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /_lifeboat/clock}: GET shows the service clock; POST {@code {"set": "2027-01-01T00:00:00Z"}}
 * or {@code {"advance": "P36D"}} switches the server to simulated time and moves it there, stopping
 * at every scheduled event on the way; {@code "settle": false} does not wait for each step's jobs.
 * Signed with SigV4 like any request (any service name in the scope), so only holders of keys of
 * a configured account can move time. Documented in README.md.
 */
final class ClockEndpoint implements Gateway.AdminRoute {
    static final String PATH = "/_lifeboat/clock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceClock clock;
    private final Scheduler scheduler;

    ClockEndpoint(ServiceClock clock, Scheduler scheduler) {
        this.clock = clock;
        this.scheduler = scheduler;
    }

    @Override
    public WireResponse handle(WireRequest request, Principal principal) {
        if ("POST".equals(request.method())) {
            JsonNode body;
            try {
                body = JSON.readTree(request.body());
            } catch (IOException e) {
                throw new IllegalArgumentException("the body must be JSON: " + e.getMessage());
            }
            if (body == null || !body.isObject() || body.has("set") == body.has("advance")) {
                throw new IllegalArgumentException("send either {\"set\": \"<ISO-8601 instant>\"} or "
                        + "{\"advance\": \"<ISO-8601 duration, e.g. P36D>\"}");
            }
            clock.freeze();
            Instant now = clock.instant();
            Instant target;
            try {
                target = body.has("set") ? Instant.parse(body.get("set").asText())
                        : now.plus(Duration.parse(body.get("advance").asText()));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("cannot read the time: " + e.getMessage());
            }
            if (target.isBefore(now)) {
                throw new IllegalArgumentException("the clock cannot go back from " + now + " to " + target);
            }
            try {
                scheduler.advance(target, body.path("settle").asBoolean(true));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while advancing the clock", e);
            }
        } else if (!"GET".equals(request.method())) {
            throw new IllegalArgumentException("use GET or POST");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("now", clock.instant().toString());
        out.put("simulated", clock.isSimulated());
        try {
            return WireResponse.text(200, "application/json", JSON.writeValueAsString(out));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
