package dev.inlet.local.throttle;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A provider delivering a burst to one route, in virtual time: every try passes the route's token
 * bucket, then the account's regional bucket (shared by all APIs), then needs a free receiver execution
 * (reserved concurrency; an execution is held for {@link RouteLimitsTable#HOLD}). A try that fails any
 * of these, or that the receiver answers with a non-2xx, is retried on the provider's schedule; a
 * delivery is lost only when the provider gives up on it (or disables the endpoint). A junk flood,
 * unsigned requests at a fixed rate, shares the buckets and the executions for as long as deliveries
 * are pending; on a tie junk goes first.
 */
public final class DeliverySimulator {
    /** The receiver behind the gates: answers one admitted try, true for a 2xx. */
    public interface Receiver {
        boolean deliver(int delivery, int attempt) throws Exception;
    }

    public static final Receiver ALWAYS_ACCEPTS = (delivery, attempt) -> true;

    /** One simulated burst. */
    public record Scenario(RetrySchedule schedule, RouteLimits limits, int deliveries, Arrival arrival, Duration window,
                           int junkRps) {
        public Scenario withDeliveries(int n) {
            return new Scenario(schedule, limits, n, arrival, window, junkRps);
        }
    }

    private record Try(long atMicros, long seq, int delivery, int attempt) {}

    private DeliverySimulator() {
    }

    public static Outcome run(Scenario s) {
        try {
            return run(s, ALWAYS_ACCEPTS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Outcome run(Scenario s, Receiver receiver) throws Exception {
        TokenBucket route = new TokenBucket(s.limits().rate(), s.limits().burst());
        TokenBucket account = new TokenBucket(RouteLimitsTable.ACCOUNT_RATE, RouteLimitsTable.ACCOUNT_BURST);
        PriorityQueue<Long> busyUntil = new PriorityQueue<>();
        PriorityQueue<Try> tries = new PriorityQueue<>((a, b) -> a.atMicros() != b.atMicros()
                ? Long.compare(a.atMicros(), b.atMicros()) : Long.compare(a.seq(), b.seq()));
        long seq = 0;
        for (int i = 0; i < s.deliveries(); i++) {
            tries.add(new Try(s.arrival().firstTryMicros(i, s.deliveries(), s.window()), seq++, i, 0));
        }
        long hold = RouteLimitsTable.HOLD.toNanos() / 1000;
        long junkHold = RouteLimitsTable.JUNK_HOLD.toNanos() / 1000;
        long junkEvery = s.junkRps() > 0 ? 1_000_000L / s.junkRps() : Long.MAX_VALUE;
        long nextJunk = s.junkRps() > 0 ? 0 : Long.MAX_VALUE;
        int delivered = 0;
        int lost = 0;
        int throttled = 0;
        int lambdaThrottled = 0;
        int refused = 0;
        int junkAdmitted = 0;
        int junkThrottled = 0;
        int maxInFlight = 0;
        int failuresInARow = 0;
        boolean disabled = false;
        long lastDelivery = 0;
        while (!tries.isEmpty()) {
            Try t = tries.poll();
            for (; nextJunk <= t.atMicros(); nextJunk += junkEvery) {
                Gate junk = admit(nextJunk, route, account, busyUntil, s.limits().concurrency());
                if (junk == Gate.ADMITTED) {
                    busyUntil.add(nextJunk + junkHold);
                    junkAdmitted++;
                } else if (junk == Gate.THROTTLED) {
                    junkThrottled++;
                }
            }
            if (disabled) {
                lost++;
                continue;
            }
            Gate gate = admit(t.atMicros(), route, account, busyUntil, s.limits().concurrency());
            boolean ok = false;
            if (gate == Gate.ADMITTED) {
                busyUntil.add(t.atMicros() + hold);
                maxInFlight = Math.max(maxInFlight, busyUntil.size());
                ok = receiver.deliver(t.delivery(), t.attempt());
                if (!ok) {
                    refused++;
                }
            } else if (gate == Gate.THROTTLED) {
                throttled++;
            } else {
                lambdaThrottled++;
            }
            if (ok) {
                delivered++;
                failuresInARow = 0;
                lastDelivery = t.atMicros();
                continue;
            }
            failuresInARow++;
            int disableAfter = s.schedule().disableAfterFailuresInARow();
            if (disableAfter > 0 && failuresInARow >= disableAfter) {
                disabled = true;
                lost++;
            } else if (t.attempt() < s.schedule().waits().size()) {
                long wait = s.schedule().waits().get(t.attempt()).toNanos() / 1000;
                tries.add(new Try(t.atMicros() + wait, seq++, t.delivery(), t.attempt() + 1));
            } else {
                lost++;
            }
        }
        return new Outcome(s.deliveries(), delivered, lost, throttled, lambdaThrottled, refused, disabled, junkAdmitted,
                junkThrottled, maxInFlight, lastDelivery / 1_000_000.0);
    }

    private enum Gate { ADMITTED, THROTTLED, NO_EXECUTION }

    private static Gate admit(long at, TokenBucket route, TokenBucket account, PriorityQueue<Long> busyUntil,
                              int concurrency) {
        while (!busyUntil.isEmpty() && busyUntil.peek() <= at) {
            busyUntil.poll();
        }
        if (!route.hasToken(at) || !account.hasToken(at)) {
            return Gate.THROTTLED;
        }
        route.take();
        account.take();
        return busyUntil.size() < concurrency ? Gate.ADMITTED : Gate.NO_EXECUTION;
    }

    /**
     * The largest burst absorbed with nothing lost: doubling from 1 until a burst loses something (or
     * {@code cap} is reached), then bisecting between the last burst that lost nothing and the first
     * that did.
     */
    public static int largestAbsorbed(Scenario s, int cap) {
        int ok = 0;
        int n = 1;
        while (n <= cap && run(s.withDeliveries(n)).nothingLost()) {
            ok = n;
            n *= 2;
        }
        if (n > cap) {
            return run(s.withDeliveries(cap)).nothingLost() ? cap : bisect(s, ok, cap);
        }
        return bisect(s, ok, n);
    }

    private static int bisect(Scenario s, int ok, int failing) {
        while (failing - ok > 1) {
            int mid = ok + (failing - ok) / 2;
            if (run(s.withDeliveries(mid)).nothingLost()) {
                ok = mid;
            } else {
                failing = mid;
            }
        }
        return ok;
    }
}
