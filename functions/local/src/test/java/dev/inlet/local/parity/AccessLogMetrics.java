package dev.inlet.local.parity;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.parity.CloudWatchLogEvents.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP API's access log as CloudWatch Logs receives it (one line per request, in the template's
 * {@code AccessLogSettings.Format}, each {@code $context} variable replaced by its value or by
 * {@code -} when it has none, as API Gateway writes it), and the series the template's metric filters
 * on that log group publish for a line.
 */
final class AccessLogMetrics {
    private static final Pattern VARIABLE = Pattern.compile("\\$context\\.([A-Za-z.]+)");

    private AccessLogMetrics() {
    }

    static String format(SamTemplate template) {
        return template.root().path("Resources").path("HttpApi").path("Properties").path("AccessLogSettings")
                .path("Format").asText();
    }

    /** The access log group's logical id (the destination of the HTTP API's access logs). */
    static String logGroup(SamTemplate template) {
        return template.root().path("Resources").path("HttpApi").path("Properties").path("AccessLogSettings")
                .path("DestinationArn").path("Fn::GetAtt").path(0).asText();
    }

    /** One line in the template's format; variables not given are written as API Gateway writes them: "-". */
    static String line(SamTemplate template, Map<String, String> context) {
        Matcher m = VARIABLE.matcher(format(template));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = context.getOrDefault(m.group(1), "-");
            String escaped = new String(JsonStringEncoder.getInstance().quoteAsString(value));
            m.appendReplacement(out, Matcher.quoteReplacement(escaped));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** A request API Gateway throttled (or answered with this status) on a route. */
    static Map<String, String> request(String routeKey, int status) {
        Map<String, String> c = new TreeMap<>();
        c.put("requestId", "Q" + Integer.toHexString(routeKey.hashCode()) + "-" + status + "=");
        c.put("routeKey", routeKey);
        c.put("status", Integer.toString(status));
        c.put("identity.sourceIp", "203.0.113.7");
        c.put("requestTime", "04/Dec/2026:15:50:00 +0000");
        if (status == 429) {
            c.put("responseLength", "31");   // {"message":"Too Many Requests"}, no integration called
        } else {
            c.put("integrationLatency", "23");
            c.put("responseLength", "24");
        }
        return c;
    }

    /** The metric filters on the template's log group with this logical id. */
    static List<JsonNode> filtersOn(SamTemplate template, String logGroup) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode filter : template.resourcesOfType("AWS::Logs::MetricFilter").values()) {
            if (filter.path("Properties").path("LogGroupName").path("Ref").asText().equals(logGroup)) {
                out.add(filter.path("Properties"));
            }
        }
        return out;
    }

    /** What the metric filters publish for one log line. */
    static List<Series> series(List<JsonNode> filters, String line) throws Exception {
        JsonNode event = Json.parse(line);
        List<Series> out = new ArrayList<>();
        for (JsonNode filter : filters) {
            if (!JsonFilterPattern.matches(filter.path("FilterPattern").asText(), event)) {
                continue;
            }
            for (JsonNode t : filter.path("MetricTransformations")) {
                Map<String, String> dims = new TreeMap<>();
                for (JsonNode d : t.path("Dimensions")) {
                    String value = d.path("Value").asText();
                    dims.put(d.path("Key").asText(), value.startsWith("$.") ? event.path(value.substring(2)).asText() : value);
                }
                out.add(new Series(t.path("MetricNamespace").asText(), t.path("MetricName").asText(), dims));
            }
        }
        return out;
    }

    /** Every series an alarm watches: its metric, or each MetricStat of a metric-math alarm, with its namespace. */
    static List<Series> alarmSeries(JsonNode props) {
        List<Series> out = new ArrayList<>();
        if (props.has("MetricName")) {
            out.add(new Series(props.path("Namespace").asText(), props.path("MetricName").asText(),
                    dimensions(props.path("Dimensions"))));
        }
        for (JsonNode q : props.path("Metrics")) {
            JsonNode metric = q.path("MetricStat").path("Metric");
            if (!metric.isMissingNode()) {
                out.add(new Series(metric.path("Namespace").asText(), metric.path("MetricName").asText(),
                        dimensions(metric.path("Dimensions"))));
            }
        }
        return out;
    }

    private static Map<String, String> dimensions(JsonNode list) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode d : list) {
            out.put(d.path("Name").asText(), d.path("Value").isTextual() ? d.path("Value").asText() : d.path("Value").toString());
        }
        return out;
    }
}
