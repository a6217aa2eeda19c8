package dev.inlet.local.parity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.local.parity.LambdaJavaRuntime.LogEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The log events of a run as CloudWatch Logs would store them, checked for what CloudWatch needs: an
 * application line is one top-level JSON object with our fields (so Logs Insights can filter on them),
 * an embedded-metric line follows the EMF specification (so CloudWatch extracts its metrics), and
 * nothing else reaches the log (stdout/stderr lines are log events too).
 */
final class CloudWatchLogEvents {
    /** The JVM's own note when JAVA_TOOL_OPTIONS is set: printed by the JVM before any of our code runs. */
    static final String JVM_NOTE = "Picked up JAVA_TOOL_OPTIONS:";
    static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

    /** One metric series: namespace, metric name, and the dimension names with their values. */
    record Series(String namespace, String metric, Map<String, String> dimensions) {}

    private CloudWatchLogEvents() {
    }

    /** Every rule broken, one line each, naming the function and the offending event. */
    static List<String> problems(Collection<LogEvent> events, Set<String> requestIds, Map<String, Long> initEnds) {
        List<String> problems = new ArrayList<>();
        for (LogEvent e : events) {
            String where = e.function() + " " + e.source() + ": " + abbreviate(e.text());
            if (e.source() != LambdaJavaRuntime.Source.FRAME) {
                if (!e.text().startsWith(JVM_NOTE)) {
                    problems.add("stray line on " + where);
                }
                continue;
            }
            JsonNode line = parseObject(e.text());
            if (line == null) {
                problems.add("not one JSON object: " + where);
            } else if (line.has("_aws")) {
                emfProblems(line).forEach(p -> problems.add(p + " in " + where));
            } else {
                applicationProblems(line).forEach(p -> problems.add(p + " in " + where));
            }
            // Lines of the init phase have no invocation; every later line names the one that wrote it.
            String id = line == null ? "" : line.path("AWSRequestId").asText("");
            if ((!id.isEmpty() || e.afterInit(initEnds.getOrDefault(e.run(), 0L))) && !requestIds.contains(id)) {
                problems.add("no AWSRequestId of an invocation in " + where);
            }
        }
        return problems;
    }

    /** The application lines (not metrics) among the frames, parsed. */
    static List<JsonNode> applicationLines(Collection<LogEvent> events) {
        return frames(events).stream().filter(n -> n != null && !n.has("_aws")).toList();
    }

    /** The embedded-metric lines among the frames, parsed. */
    static List<JsonNode> metricLines(Collection<LogEvent> events) {
        return frames(events).stream().filter(n -> n != null && n.has("_aws")).toList();
    }

    /** Every series the EMF lines publish: one per metric and dimension set. */
    static Set<Series> series(Collection<LogEvent> events) {
        Set<Series> out = new LinkedHashSet<>();
        for (JsonNode line : metricLines(events)) {
            for (JsonNode directive : line.path("_aws").path("CloudWatchMetrics")) {
                for (JsonNode set : directive.path("Dimensions")) {
                    Map<String, String> dims = new TreeMap<>();
                    set.forEach(d -> dims.put(d.asText(), line.path(d.asText()).asText()));
                    for (JsonNode metric : directive.path("Metrics")) {
                        out.add(new Series(directive.path("Namespace").asText(), metric.path("Name").asText(), dims));
                    }
                }
            }
        }
        return out;
    }

    private static List<JsonNode> frames(Collection<LogEvent> events) {
        return events.stream().filter(e -> e.source() == LambdaJavaRuntime.Source.FRAME)
                .map(e -> parseObject(e.text())).toList();
    }

    /** The EMF specification's rules for one line. */
    static List<String> emfProblems(JsonNode root) {
        List<String> problems = new ArrayList<>();
        JsonNode aws = root.path("_aws");
        JsonNode timestamp = aws.path("Timestamp");
        long now = System.currentTimeMillis();
        if (!timestamp.isIntegralNumber() || Math.abs(timestamp.asLong() - now) > 86_400_000L) {
            problems.add("_aws.Timestamp is not epoch milliseconds (" + timestamp + ")");
        }
        JsonNode directives = aws.path("CloudWatchMetrics");
        if (!directives.isArray() || directives.isEmpty()) {
            problems.add("_aws.CloudWatchMetrics is not a non-empty array");
        }
        for (JsonNode d : directives) {
            if (!d.path("Namespace").isTextual() || d.path("Namespace").asText().isBlank()) {
                problems.add("a directive without Namespace");
            }
            if (!d.path("Dimensions").isArray()) {
                problems.add("Dimensions is not an array of dimension sets");
            }
            for (JsonNode set : d.path("Dimensions")) {
                if (!set.isArray() || set.size() > 30) {
                    problems.add("a dimension set is not an array of at most 30 keys: " + set);
                    continue;
                }
                for (JsonNode key : set) {
                    if (!key.isTextual() || !root.path(key.asText()).isTextual()) {
                        problems.add("dimension " + key + " has no string value at the root");
                    }
                }
            }
            JsonNode metrics = d.path("Metrics");
            if (!metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
                problems.add("Metrics is not an array of 1 to 100 metrics");
            }
            for (JsonNode m : metrics) {
                if (!m.path("Name").isTextual() || !m.path("Unit").isTextual()) {
                    problems.add("a metric without Name and Unit: " + m);
                    continue;
                }
                JsonNode value = root.path(m.path("Name").asText());
                boolean numbers = value.isArray() && !value.isEmpty();
                for (JsonNode v : value) {
                    numbers &= v.isNumber();
                }
                if (!value.isNumber() && !numbers) {
                    problems.add("metric " + m.path("Name").asText() + " has no number at the root");
                }
            }
        }
        return problems;
    }

    /** Our application line: time, level, event at the top level. */
    private static List<String> applicationProblems(JsonNode line) {
        List<String> problems = new ArrayList<>();
        try {
            Instant.parse(line.path("time").asText(""));
        } catch (DateTimeParseException e) {
            problems.add("no ISO-8601 time");
        }
        if (!LEVELS.contains(line.path("level").asText(""))) {
            problems.add("no level");
        }
        if (!line.path("event").isTextual() || line.path("event").asText().isBlank()) {
            problems.add("no event");
        }
        return problems;
    }

    static JsonNode parseObject(String text) {
        try {
            JsonNode node = Json.parse(text);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> out = new LinkedHashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
