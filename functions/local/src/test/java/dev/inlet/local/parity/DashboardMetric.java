package dev.inlet.local.parity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.observe.Metrics;
import dev.inlet.embedded.SamTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A custom metric (namespace Inlet) that a widget of the template's CloudWatch dashboards shows: an
 * explicit metric row (with CloudWatch's "." shorthand for the row above) or a SEARCH expression
 * (its dimension names, any values).
 */
record DashboardMetric(String metric, Map<String, String> dimensions, boolean search) {
    private static final Pattern SEARCH = Pattern.compile(
            "\\{" + Metrics.NAMESPACE + "((?:\\s*,\\s*[A-Za-z_]+)*)\\}[^']*?MetricName\\s*=\\s*\"?([A-Za-z_]+)\"?");

    static List<DashboardMetric> inlet(SamTemplate template) throws Exception {
        List<DashboardMetric> out = new ArrayList<>();
        for (JsonNode dashboard : template.resourcesOfType("AWS::CloudWatch::Dashboard").values()) {
            for (JsonNode widget : body(dashboard.path("Properties").path("DashboardBody")).path("widgets")) {
                List<String> previous = List.of();
                for (JsonNode row : widget.path("properties").path("metrics")) {
                    String expression = row.isArray() && row.size() == 1 ? row.get(0).path("expression").asText("")
                            : row.path(row.size() - 1).path("expression").asText("");
                    if (!expression.isEmpty()) {
                        Matcher m = SEARCH.matcher(expression);
                        while (m.find()) {
                            Map<String, String> dims = new TreeMap<>();
                            for (String key : m.group(1).split(",")) {
                                if (!key.isBlank()) {
                                    dims.put(key.trim(), "*");
                                }
                            }
                            out.add(new DashboardMetric(m.group(2), dims, true));
                        }
                        continue;
                    }
                    List<String> cells = new ArrayList<>();
                    for (int i = 0; i < row.size() && row.get(i).isTextual(); i++) {
                        String cell = row.get(i).asText();
                        cells.add(cell.equals(".") && i < previous.size() ? previous.get(i) : cell);
                    }
                    previous = cells;
                    if (cells.size() >= 2 && cells.get(0).equals(Metrics.NAMESPACE)) {
                        Map<String, String> dims = new TreeMap<>();
                        for (int i = 2; i + 1 < cells.size(); i += 2) {
                            dims.put(cells.get(i), cells.get(i + 1));
                        }
                        out.add(new DashboardMetric(cells.get(1), dims, false));
                    }
                }
            }
        }
        return out;
    }

    /** The body's JSON, with each {@code ${...}} of a Fn::Sub left as its name. */
    static JsonNode body(JsonNode body) throws Exception {
        JsonNode sub = body.path("Fn::Sub");
        String text = sub.isMissingNode() ? body.asText() : sub.isArray() ? sub.get(0).asText() : sub.asText();
        return Json.parse(text.replaceAll("\\$\\{([^}]*)}", "$1"));
    }
}
