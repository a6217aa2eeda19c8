package dev.inlet.embedded;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * template.yaml, read as the single source of truth for the local stack and the tests: its tables,
 * queues, functions (handler, environment, HTTP routes). CloudFormation short-form tags ({@code !Ref X},
 * {@code !GetAtt X.Arn}, {@code !Sub ...}) are read as {@code {"Ref": "X"}}, {@code {"Fn::GetAtt": ...}}.
 */
public final class SamTemplate {
    private final JsonNode root;

    private SamTemplate(JsonNode root) {
        this.root = root;
    }

    public static SamTemplate load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return new SamTemplate(readTagged(new YAMLFactory().createParser(in)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The repository's template.yaml, found from the working directory upwards. */
    public static Path locate() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("template.yaml");
            if (Files.isRegularFile(candidate) && Files.isDirectory(dir.resolve("functions"))) {
                return candidate;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    public JsonNode root() {
        return root;
    }

    public Map<String, JsonNode> resourcesOfType(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        root.path("Resources").fields().forEachRemaining(e -> {
            if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    public record Route(String method, String path) {}

    public record Function(String logicalId, String handler, String codeUri, Map<String, JsonNode> environment,
                           List<Route> routes, boolean sqsTriggered, boolean scheduled, JsonNode properties) {
        public String handlerClass() {
            int sep = handler.indexOf("::");
            return sep < 0 ? handler : handler.substring(0, sep);
        }
    }

    public List<Function> functions() {
        List<Function> out = new ArrayList<>();
        JsonNode globals = root.path("Globals").path("Function");
        resourcesOfType("AWS::Serverless::Function").forEach((id, node) -> {
            JsonNode props = node.path("Properties");
            Map<String, JsonNode> env = new LinkedHashMap<>();
            globals.path("Environment").path("Variables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue()));
            props.path("Environment").path("Variables").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue()));
            List<Route> routes = new ArrayList<>();
            boolean sqs = false;
            boolean scheduled = false;
            for (Iterator<JsonNode> it = props.path("Events").elements(); it.hasNext(); ) {
                JsonNode event = it.next();
                if ("HttpApi".equals(event.path("Type").asText())) {
                    routes.add(new Route(event.path("Properties").path("Method").asText("POST").toUpperCase(),
                            event.path("Properties").path("Path").asText()));
                } else if ("SQS".equals(event.path("Type").asText())) {
                    sqs = true;
                } else if (event.path("Type").asText().startsWith("Schedule")) {
                    scheduled = true;
                }
            }
            out.add(new Function(id, props.path("Handler").asText(), props.path("CodeUri").asText(), env, routes,
                    sqs, scheduled, props));
        });
        return out;
    }

    /** Reads YAML into a tree, turning each CloudFormation short-form tag into its long form. */
    private static JsonNode readTagged(YAMLParser p) throws IOException {
        p.nextToken();
        return readValue(p);
    }

    private static JsonNode readValue(YAMLParser p) throws IOException {
        String tag = p.getTypeId();
        JsonNode value = switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode obj = JsonNodeFactory.instance.objectNode();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) {
                    String name = p.currentName();
                    p.nextToken();
                    obj.set(name, readValue(p));
                }
                yield obj;
            }
            case START_ARRAY -> {
                var arr = JsonNodeFactory.instance.arrayNode();
                while (p.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                    arr.add(readValue(p));
                }
                yield arr;
            }
            case VALUE_NULL -> JsonNodeFactory.instance.nullNode();
            case VALUE_TRUE, VALUE_FALSE -> JsonNodeFactory.instance.booleanNode(p.getBooleanValue());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> JsonNodeFactory.instance.textNode(p.getText());
            default -> JsonNodeFactory.instance.textNode(p.getText());
        };
        if (tag == null || tag.isEmpty()) {
            return value;
        }
        String name = tag.startsWith("!") ? tag.substring(1) : tag;
        ObjectNode wrapped = JsonNodeFactory.instance.objectNode();
        if (name.equals("Ref")) {
            wrapped.set("Ref", value);
        } else if (name.equals("GetAtt") && value.isTextual()) {
            var parts = JsonNodeFactory.instance.arrayNode();
            String text = value.asText();
            int dot = text.indexOf('.');
            parts.add(dot < 0 ? text : text.substring(0, dot));
            parts.add(dot < 0 ? "" : text.substring(dot + 1));
            wrapped.set("Fn::GetAtt", parts);
        } else {
            wrapped.set("Fn::" + name, value);
        }
        return wrapped;
    }

    static ObjectMapper yaml() {
        return new ObjectMapper(new YAMLFactory()).configure(JsonParser.Feature.ALLOW_COMMENTS, true);
    }
}
