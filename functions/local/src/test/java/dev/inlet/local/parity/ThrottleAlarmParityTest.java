package dev.inlet.local.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Metrics;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.parity.CloudWatchLogEvents.Series;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The 429 alarm (invariant 10) as RuntimeParityTest checks the alarms on the functions' own metrics: its
 * series must be ones that really get published. They come from a metric filter on the HTTP API's
 * access log, so the check renders API Gateway's access-log line for a throttled request on each route
 * in the template's own format, runs the template's filter pattern over it (CloudWatch Logs' JSON
 * filter semantics) and compares what the filter publishes with what the alarm and the dashboard watch.
 */
class ThrottleAlarmParityTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(ParityFixtures.ROOT.resolve("template.yaml"));

    private static List<String> routeKeys() {
        List<String> out = new ArrayList<>();
        TEMPLATE.functions().forEach(f -> f.routes().forEach(r -> out.add(r.method() + " " + r.path())));
        return out;
    }

    private static List<JsonNode> accessLogFilters() {
        return AccessLogMetrics.filtersOn(TEMPLATE, AccessLogMetrics.logGroup(TEMPLATE));
    }

    /** The alarms watching series that the access-log filters publish. */
    private static Map<String, List<Series>> accessLogAlarms() {
        Set<String> namespaces = new TreeSet<>();
        accessLogFilters().forEach(f -> f.path("MetricTransformations").forEach(t -> namespaces.add(t.path("MetricNamespace").asText())));
        Map<String, List<Series>> out = new java.util.LinkedHashMap<>();
        TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            List<Series> watched = AccessLogMetrics.alarmSeries(alarm.path("Properties"));
            if (watched.stream().anyMatch(s -> namespaces.contains(s.namespace()))) {
                out.put(id, watched);
            }
        });
        return out;
    }

    @Test
    void a429OnEveryWebhookRoute_inTheAccessLogsFormat_publishesExactlyASeriesThe429AlarmWatches() throws Exception {
        Map<String, List<Series>> alarms = accessLogAlarms();
        assertEquals(1, alarms.size(), "one alarm on the access log's 429s: " + alarms.keySet());
        Set<Series> watched = new LinkedHashSet<>(alarms.values().iterator().next());
        Set<Series> published = new LinkedHashSet<>();
        assertEquals(4, routeKeys().size());
        List<String> routes = new ArrayList<>(routeKeys());
        routes.add("-");   // throttled before a route matched (the account's bucket): no route key
        for (String route : routes) {
            String line = AccessLogMetrics.line(TEMPLATE, AccessLogMetrics.request(route, 429));
            List<Series> series = AccessLogMetrics.series(accessLogFilters(), line);
            assertEquals(1, series.size(), "one series for " + line + ": " + series);
            assertEquals(Map.of("route", route), series.get(0).dimensions(), "the route is the dimension: " + line);
            assertTrue(watched.contains(series.get(0)), series.get(0) + " is not watched by the alarm: " + watched);
            published.add(series.get(0));
        }
        assertEquals(published, watched, "the alarm watches every route's series (and the unrouted one), and only "
                + "series that get published");
    }

    @Test
    void answersOtherThan429_publishNothing() throws Exception {
        for (String route : routeKeys()) {
            for (int status : new int[] {200, 401, 404, 413, 500, 503}) {
                String line = AccessLogMetrics.line(TEMPLATE, AccessLogMetrics.request(route, status));
                assertTrue(AccessLogMetrics.series(accessLogFilters(), line).isEmpty(), line);
            }
        }
    }

    @Test
    void theAccessLogLine_isOneJsonObjectWithTheStatusAndTheRouteKey_neverTheRawPath() throws Exception {
        String line = AccessLogMetrics.line(TEMPLATE, AccessLogMetrics.request("POST /webhooks/rheo", 429));
        JsonNode event = Json.parse(line);
        assertEquals("429", event.path("status").asText());
        assertEquals("POST /webhooks/rheo", event.path("routeKey").asText());
        assertFalse(AccessLogMetrics.format(TEMPLATE).contains("$context.path"), "Reverb's token is in the raw path");
    }

    @Test
    void theFilterPattern_isReadAsCloudWatchLogsReadsIt() throws Exception {
        JsonNode quoted = Json.parse("{\"status\":\"429\",\"routeKey\":\"POST /x\"}");
        JsonNode number = Json.parse("{\"status\":429,\"routeKey\":\"POST /x\"}");
        JsonNode noRoute = Json.parse("{\"status\":\"429\"}");
        String pattern = accessLogFilters().get(0).path("FilterPattern").asText();
        assertTrue(JsonFilterPattern.matches(pattern, quoted), "the status as the access log writes it, a string");
        assertTrue(JsonFilterPattern.matches(pattern, number), "and as a number");
        assertFalse(JsonFilterPattern.matches(pattern, noRoute), "no route key, no dimension: not counted");
        assertTrue(JsonFilterPattern.matches("{ $.status = \"4*\" }", quoted));
        assertFalse(JsonFilterPattern.matches("{ $.status = \"200\" || $.status = 404 }", quoted));
        assertTrue(JsonFilterPattern.matches("{ ($.status = \"200\" || $.status = \"429\") && $.routeKey = \"POST *\" }", quoted));
    }

    @Test
    void everyAlarm_watchesAnAwsMetric_aMetricTheFunctionsEmit_orOneAnAccessLogFilterPublishes() {
        Set<String> filterNamespaces = new TreeSet<>();
        accessLogFilters().forEach(f -> f.path("MetricTransformations").forEach(t -> filterNamespaces.add(t.path("MetricNamespace").asText())));
        assertEquals(Set.of("Inlet/HttpApi"), filterNamespaces);
        assertFalse(TEMPLATE.resourcesOfType("AWS::Logs::MetricFilter").values().stream().anyMatch(f ->
                        !f.path("Properties").path("LogGroupName").path("Ref").asText().equals(AccessLogMetrics.logGroup(TEMPLATE))),
                "a metric filter on another log group would need its own parity check");
        List<String> uncovered = new ArrayList<>();
        TEMPLATE.resourcesOfType("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            for (Series s : AccessLogMetrics.alarmSeries(alarm.path("Properties"))) {
                boolean covered = s.namespace().startsWith("AWS/")               // AWS's own metrics
                        || s.namespace().equals(Metrics.NAMESPACE)               // RuntimeParityTest
                        || filterNamespaces.contains(s.namespace());             // this test
                if (!covered) {
                    uncovered.add(id + " watches " + s);
                }
            }
        });
        assertTrue(uncovered.isEmpty(), String.join("\n", uncovered));
    }

    @Test
    void theDashboard_shows429sForEveryRoute_andListsTheAlarm() throws Exception {
        JsonNode dashboard = TEMPLATE.resourcesOfType("AWS::CloudWatch::Dashboard").values().iterator().next();
        JsonNode body = DashboardMetric.body(dashboard.path("Properties").path("DashboardBody"));
        Set<Series> shown = new LinkedHashSet<>();
        boolean alarmListed = false;
        for (JsonNode widget : body.path("widgets")) {
            for (JsonNode alarm : widget.path("properties").path("alarms")) {
                alarmListed |= accessLogAlarms().containsKey(alarm.asText().replace(".Arn", ""));
            }
            List<String> previous = List.of();
            for (JsonNode row : widget.path("properties").path("metrics")) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < row.size() && row.get(i).isTextual(); i++) {
                    String cell = row.get(i).asText();
                    cells.add(cell.equals(".") && i < previous.size() ? previous.get(i) : cell);
                }
                previous = cells;
                if (cells.size() == 4 && cells.get(0).equals("Inlet/HttpApi")) {
                    shown.add(new Series(cells.get(0), cells.get(1), Map.of(cells.get(2), cells.get(3))));
                }
            }
        }
        assertTrue(alarmListed, "the alarm widget lists the 429 alarm");
        assertEquals(new LinkedHashSet<>(accessLogAlarms().values().iterator().next()), shown,
                "a widget shows the 429s of every route the alarm watches");
    }
}
