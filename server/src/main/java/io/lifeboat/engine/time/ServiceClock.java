package io.lifeboat.engine.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The one clock of the service: real time in milliseconds (AWS timestamps carry milliseconds),
 * until an operator switches it to simulated time, which then moves only when told to. Everything
 * that schedules, expires or reports reads it; only leases, which measure whether a node is alive,
 * use real time.
 */
public final class ServiceClock extends Clock {
    private volatile Instant simulated;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service clock is UTC");
    }

    @Override
    public Instant instant() {
        Instant s = simulated;
        return s != null ? s : Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public boolean isSimulated() {
        return simulated != null;
    }

    /** Switches to simulated time at the present moment (no-op when already simulated). */
    public synchronized void freeze() {
        if (simulated == null) {
            simulated = instant();
        }
    }

    /** Switches to simulated time at {@code at} (or moves it there); time never goes back. */
    public synchronized void set(Instant at) {
        Instant now = instant();
        if (at.isBefore(now)) {
            throw new IllegalArgumentException("the clock cannot go back from " + now + " to " + at);
        }
        simulated = at.truncatedTo(ChronoUnit.MILLIS);
    }
}
