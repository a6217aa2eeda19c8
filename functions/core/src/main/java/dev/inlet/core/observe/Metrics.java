package dev.inlet.core.observe;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.json.Json;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Counters as CloudWatch embedded metric format lines: one JSON line per count, or one for the counts a
 * request makes together, written through the log sink, so no metrics client and no extra call. Each
 * count is published per provider, per provider and reason (where there is one), and as a total without
 * dimensions; the template's alarms watch the per-provider and total series.
 *
 * <p>Each series is a CloudWatch custom metric billed for every hour it receives a value, so the counts
 * every webhook makes ({@link #ROUTINE}) keep about 15 series billed in every hour with traffic. Without
 * {@code detailed} ({@code DETAILED_METRICS=false}) those are left out and only the rest is published:
 * what the alarms watch and the failures, series that cost nothing while nothing goes wrong.
 */
public final class Metrics {
    public static final String NAMESPACE = "Inlet";
    /** The counts a healthy stack makes for every webhook: published only with detailed metrics. */
    public static final Set<String> ROUTINE = Set.of("received", "enqueued", "processed", "duplicate", "published");

    private final Log.Sink sink;
    private final Clock clock;
    private final boolean detailed;

    public Metrics(Log.Sink sink, Clock clock) {
        this(sink, clock, true);
    }

    public Metrics(Log.Sink sink, Clock clock, boolean detailed) {
        this.sink = sink;
        this.clock = clock;
        this.detailed = detailed;
    }

    public void count(String metric, String provider) {
        emit(metric, provider, null, 1);
    }

    public void count(String metric, String provider, String reason) {
        emit(metric, provider, reason, 1);
    }

    public void add(String metric, String provider, long value) {
        emit(metric, provider, null, value);
    }

    /**
     * A count of 1 for each of {@code metrics}, all in one line: what one request counts (a webhook
     * received and enqueued) becomes one log event instead of one per count, the same series published.
     */
    public void countAll(String provider, String... metrics) {
        emit(List.of(metrics), provider, null, 1);
    }

    /**
     * A figure published only as the total, without dimensions: what a run counts that belongs to no
     * provider, such as a zero that gives an alarm's series a datapoint when nothing happened.
     */
    public void total(String metric, long value) {
        emit(List.of(metric), null, null, value);
    }

    private void emit(String metric, String provider, String reason, long value) {
        emit(List.of(metric), provider, reason, value);
    }

    private void emit(List<String> all, String provider, String reason, long value) {
        List<String> metrics = detailed ? all : all.stream().filter(m -> !ROUTINE.contains(m)).toList();
        if (metrics.isEmpty()) {
            return;
        }
        ObjectNode root = Json.object();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", clock.millis());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        ArrayNode dimensionSets = directive.putArray("Dimensions");
        if (provider != null) {
            dimensionSets.addArray().add("provider");
        }
        if (reason != null) {
            dimensionSets.addArray().add("provider").add("reason");
        }
        dimensionSets.addArray();
        ArrayNode names = directive.putArray("Metrics");
        for (String metric : metrics) {
            names.addObject().put("Name", metric).put("Unit", "Count");
        }
        if (provider != null) {
            root.put("provider", provider);
        }
        if (reason != null) {
            root.put("reason", reason);
        }
        for (String metric : metrics) {
            root.put(metric, value);
        }
        sink.metric(Json.write(root));
    }
}
