package dev.inlet.local.throttle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.embedded.SamTemplate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Invariant 10's table: each route's limits derived from its provider's retry schedule, the bursts it
 * must absorb and the receiver's reserved concurrency. template.yaml must carry exactly these numbers
 * (TemplateLimitsTest) and the simulator proves that they absorb the floor (DeliverySimulatorTest).
 * docs/reliability.md ("Route limits and bursts") prints the same table.
 *
 * <p>The derivation, per route:
 * <ul>
 *   <li>rate = the floor's arrival rate spread over the tries that can be relied on, plus a junk flood
 *       of {@link #JUNK_RPS} sharing the bucket, rounded up to a multiple of 25: {@code
 *       ceil25(FLOOR / WINDOW / reliableTries + JUNK_RPS)}. Rheo's retries cannot be relied on (15
 *       failures in a row disable the endpoint), nor can Reverb's or Rechat's (none assumed);
 *       Reusely's two retries can (the bucket is full again 10 minutes later);</li>
 *   <li>burst = concurrency - ceil(rate x {@link #HOLD}): API Gateway never admits more requests at
 *       once than the receiver's reserved executions can hold, so an overflow is a 429 (counted per
 *       route and alarmed) and never a Lambda throttle (a 5xx, hidden among real errors);</li>
 *   <li>concurrency: chosen per provider (the largest simultaneous burst it can send), within the
 *       account's Lambda concurrency (1,000 by default, 100 of which must stay unreserved).</li>
 * </ul>
 */
public final class RouteLimitsTable {
    /** The floor every provider must absorb: this many deliveries arriving within {@link #WINDOW}. */
    public static final int FLOOR = 10_000;
    public static final Duration WINDOW = Duration.ofSeconds(60);
    /** Unsigned junk that the limits still leave room for, requests per second on the route. */
    public static final int JUNK_RPS = 50;
    /**
     * How long one delivery holds a receiver execution: a warm invocation (put + send) takes about
     * 20 ms in a region, a SnapStart restore adds a few hundred ms; a burst is served largely by fresh
     * environments.
     */
    public static final Duration HOLD = Duration.ofMillis(250);
    /** A junk request is refused after the signature check, without a backend call. */
    public static final Duration JUNK_HOLD = Duration.ofMillis(5);
    /** API Gateway's regional limit for the account, shared by all its APIs (HTTP and REST). */
    public static final int ACCOUNT_RATE = 10_000;
    public static final int ACCOUNT_BURST = 5_000;
    /** Lambda's default concurrency per account and Region, and what must stay unreserved. */
    public static final int ACCOUNT_CONCURRENCY = 1_000;
    public static final int UNRESERVED_MINIMUM = 100;

    /** One provider's row. */
    public record Row(String provider, String routeKey, RetrySchedule schedule, int reliableTries, int concurrency,
                      String why) {
        public int rate() {
            double needed = (double) FLOOR / WINDOW.toSeconds() / reliableTries + JUNK_RPS;
            return (int) Math.ceil(needed / 25) * 25;
        }

        public int burst() {
            return concurrency - (int) Math.ceil(rate() * HOLD.toMillis() / 1000.0);
        }

        public RouteLimits limits() {
            return new RouteLimits(rate(), burst(), concurrency);
        }
    }

    public static final List<Row> ROWS = List.of(
            new Row("rheo", "POST /webhooks/rheo", RetrySchedule.RHEO, 1, 200,
                    "a 429 counts toward the 15 failures in a row that disable the endpoint: the floor and the "
                            + "junk must fit the rate with no retry; the most concurrency, for bulk publishes "
                            + "of Tradera items arriving at once"),
            new Row("reverb", "POST /webhooks/reverb/{topic}/{token}", RetrySchedule.REVERB, 1, 150,
                    "no retry assumed, so every delivery must get a token on its only try; listings/update "
                            + "bursts on bulk edits"),
            new Row("reusely", "POST /webhooks/reusely", RetrySchedule.REUSELY, 3, 75,
                    "the bucket is full again at the +10 and +30 min retries, so the floor may take three "
                            + "passes; low steady volume, the least concurrency"),
            new Row("rechat", "POST /webhooks/rechat", RetrySchedule.RECHAT, 1, 150,
                    "no retry relied on; Deals Updated and contact imports come in bursts"));

    /**
     * The limits before issue 22: the route settings then, and no reserved concurrency (so the account's
     * default pool less the processor's 10), to show what they lost.
     */
    public static final Map<String, RouteLimits> BEFORE_ISSUE_22 = Map.of(
            "rheo", new RouteLimits(20, 50, 990), "reverb", new RouteLimits(25, 50, 990),
            "reusely", new RouteLimits(5, 10, 990), "rechat", new RouteLimits(50, 100, 990));

    private RouteLimitsTable() {
    }

    public static Row row(String provider) {
        return ROWS.stream().filter(r -> r.provider().equals(provider)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row for " + provider));
    }

    /**
     * The limits template.yaml sets per provider: each receiver's route settings and reserved
     * concurrency (a receiver without a reservation gets the account's unreserved pool).
     */
    public static Map<String, RouteLimits> fromTemplate(SamTemplate template) {
        Map<String, RouteLimits> out = new LinkedHashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            if (f.routes().isEmpty()) {
                continue;
            }
            String[] parts = f.handlerClass().split("\\.");
            String provider = parts[parts.length - 2];
            JsonNode route = null;
            for (JsonNode event : f.properties().path("Events")) {
                if (event.path("Type").asText().equals("HttpApi")) {
                    route = event.path("Properties").path("RouteSettings");
                }
            }
            JsonNode stage = template.root().path("Resources").path("HttpApi").path("Properties")
                    .path("DefaultRouteSettings");
            int rate = route.path("ThrottlingRateLimit").asInt(stage.path("ThrottlingRateLimit").asInt(ACCOUNT_RATE));
            int burst = route.path("ThrottlingBurstLimit").asInt(stage.path("ThrottlingBurstLimit").asInt(ACCOUNT_BURST));
            int concurrency = f.properties().path("ReservedConcurrentExecutions").asInt(ACCOUNT_CONCURRENCY - reserved(template));
            out.put(provider, new RouteLimits(rate, burst, concurrency));
        }
        return out;
    }

    /** The sum of every function's reserved concurrency. */
    public static int reserved(SamTemplate template) {
        return template.functions().stream().mapToInt(f -> f.properties().path("ReservedConcurrentExecutions").asInt(0))
                .sum();
    }
}
