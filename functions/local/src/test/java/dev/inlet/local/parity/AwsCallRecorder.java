package dev.inlet.local.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.core.json.Json;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.iam.AwsCall;
import dev.inlet.local.iam.ExecutionRoles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records every AWS call each function makes under the runtime client, as IAM would authorize it: a
 * small HTTP proxy per function and backend (DynamoDB Local, ElasticMQ, moto) that the function's
 * endpoint variables point at. It reads the request's {@code X-Amz-Target} and JSON body (TableName,
 * IndexName, the partition key of Key/Item/KeyConditionExpression, QueueUrl, SecretId, each PutEvents
 * entry's EventBusName), records the
 * action, the resource's ARN (in {@link ExecutionRoles}' test account) and the condition keys that
 * apply ({@code dynamodb:LeadingKeys}), then forwards the request unchanged.
 */
final class AwsCallRecorder implements AutoCloseable {
    private static final List<String> ENDPOINTS = List.of("DYNAMODB_ENDPOINT", "SQS_ENDPOINT", "SECRETS_MANAGER_ENDPOINT",
            "EVENTBRIDGE_ENDPOINT");
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive");

    private final Map<String, String> tableHashKeys = new LinkedHashMap<>();
    private final Map<String, HttpServer> proxies = new LinkedHashMap<>();
    private final Set<AwsCall> calls = Collections.synchronizedSet(new LinkedHashSet<>());
    private final List<String> unread = Collections.synchronizedList(new ArrayList<>());
    private final List<JsonNode> putEventsEntries = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "aws-call-recorder");
        t.setDaemon(true);
        return t;
    });

    AwsCallRecorder(SamTemplate template) {
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, table) -> {
            tableHashKeys.put(id, hashKey(table.path("Properties").path("KeySchema")));
            for (JsonNode index : table.path("Properties").path("GlobalSecondaryIndexes")) {
                tableHashKeys.put(id + "/index/" + index.path("IndexName").asText(), hashKey(index.path("KeySchema")));
            }
        });
    }

    /** The function's environment with each backend endpoint behind a recording proxy of its own. */
    synchronized Map<String, String> route(String function, Map<String, String> env) throws IOException {
        Map<String, String> out = new LinkedHashMap<>(env);
        for (String name : ENDPOINTS) {
            String upstream = env.getOrDefault(name, "");
            if (!upstream.isEmpty()) {
                HttpServer proxy = proxies.get(function + " " + upstream);
                if (proxy == null) {
                    proxy = start(function, URI.create(upstream));
                    proxies.put(function + " " + upstream, proxy);
                }
                out.put(name, "http://127.0.0.1:" + proxy.getAddress().getPort());
            }
        }
        return out;
    }

    /** What was recorded, in order. */
    List<AwsCall> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** Every PutEvents entry a function sent (EventBusName, Source, DetailType, Detail, Time, TraceHeader), in order. */
    List<JsonNode> putEventsEntries() {
        synchronized (putEventsEntries) {
            return List.copyOf(putEventsEntries);
        }
    }

    /** Requests whose action or resource could not be read (none expected). */
    List<String> unread() {
        return List.copyOf(unread);
    }

    void write(Path file) throws IOException {
        ArrayNode out = Json.mapper().createArrayNode();
        for (AwsCall c : calls()) {
            ObjectNode n = out.addObject();
            n.put("function", c.function());
            n.put("action", c.action());
            n.put("resource", c.resource());
            ObjectNode context = n.putObject("context");
            c.context().forEach((k, v) -> v.forEach(context.withArray(k)::add));
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(out));
    }

    @Override
    public void close() {
        proxies.values().forEach(p -> p.stop(0));
        pool.shutdownNow();
    }

    private HttpServer start(String function, URI upstream) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(pool);
        server.createContext("/", exchange -> forward(function, upstream, exchange));
        server.start();
        return server;
    }

    private void forward(String function, URI upstream, HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            record(function, target, body);
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> request.header(name, v));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT)) && !name.startsWith(":")) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void record(String function, String target, byte[] body) {
        try {
            if (target == null || !target.contains(".")) {
                unread.add(function + ": a request without X-Amz-Target");
                return;
            }
            String service = target.substring(0, target.indexOf('.'));
            String operation = target.substring(target.indexOf('.') + 1);
            JsonNode json = body.length == 0 ? Json.object() : Json.parse(body);
            String where = ExecutionRoles.REGION + ":" + ExecutionRoles.ACCOUNT + ":";
            if (service.startsWith("DynamoDB_")) {
                recordDynamoDb(function, operation, json, "arn:aws:dynamodb:" + where + "table/");
            } else if (service.equals("AmazonSQS")) {
                String url = json.path("QueueUrl").asText();
                String action = operation.equals("SendMessageBatch") ? "SendMessage"
                        : operation.equals("DeleteMessageBatch") ? "DeleteMessage" : operation;
                calls.add(AwsCall.of(function, "sqs:" + action, "arn:aws:sqs:" + where + url.substring(url.lastIndexOf('/') + 1)));
            } else if (service.equals("secretsmanager")) {
                String id = json.path("SecretId").asText();
                calls.add(AwsCall.of(function, "secretsmanager:" + operation,
                        id.startsWith("arn:") ? id : "arn:aws:secretsmanager:" + where + "secret:" + id));
            } else if (service.equals("AWSEvents") && operation.equals("PutEvents")) {
                for (JsonNode entry : json.path("Entries")) {
                    String bus = entry.path("EventBusName").asText("default");
                    calls.add(AwsCall.of(function, "events:PutEvents",
                            bus.startsWith("arn:") ? bus : "arn:aws:events:" + where + "event-bus/" + bus));
                    putEventsEntries.add(entry);
                }
            } else {
                unread.add(function + ": " + target);
            }
        } catch (IOException | RuntimeException e) {
            unread.add(function + ": " + target + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private void recordDynamoDb(String function, String operation, JsonNode json, String tables) {
        switch (operation) {
            case "BatchGetItem" -> json.path("RequestItems").properties().forEach(e -> calls.add(
                    leading(AwsCall.of(function, "dynamodb:BatchGetItem", tables + e.getKey()), e.getKey(), e.getValue().path("Keys"))));
            case "BatchWriteItem" -> json.path("RequestItems").properties().forEach(e -> {
                List<JsonNode> items = new ArrayList<>();
                e.getValue().forEach(w -> items.add(w.has("PutRequest") ? w.path("PutRequest").path("Item")
                        : w.path("DeleteRequest").path("Key")));
                calls.add(leading(AwsCall.of(function, "dynamodb:BatchWriteItem", tables + e.getKey()), e.getKey(),
                        Json.mapper().valueToTree(items)));
            });
            case "TransactWriteItems", "TransactGetItems" -> json.path("TransactItems").forEach(t -> t.properties().forEach(e -> {
                String action = switch (e.getKey()) {
                    case "Put" -> "PutItem";
                    case "Update" -> "UpdateItem";
                    case "Delete" -> "DeleteItem";
                    case "Get" -> "GetItem";
                    default -> e.getKey();
                };
                JsonNode item = e.getValue().has("Item") ? e.getValue().path("Item") : e.getValue().path("Key");
                String table = e.getValue().path("TableName").asText();
                calls.add(leading(AwsCall.of(function, "dynamodb:" + action, tables + table), table,
                        Json.mapper().createArrayNode().add(item)));
            }));
            default -> {
                String table = json.path("TableName").asText();
                String index = json.path("IndexName").asText("");
                String resource = table + (index.isEmpty() ? "" : "/index/" + index);
                AwsCall call = AwsCall.of(function, "dynamodb:" + operation, tables + resource);
                if (json.has("Item") || json.has("Key")) {
                    call = leading(call, resource, Json.mapper().createArrayNode().add(json.has("Item") ? json.path("Item") : json.path("Key")));
                } else if (json.has("KeyConditionExpression")) {
                    call = queryLeading(call, resource, json);
                }
                if (json.has("ReturnValues")) {
                    call = call.with("dynamodb:ReturnValues", json.path("ReturnValues").asText());
                }
                calls.add(call);
            }
        }
    }

    /** dynamodb:LeadingKeys: the partition key values of the items the request names. */
    private AwsCall leading(AwsCall call, String resource, JsonNode items) {
        String hash = tableHashKeys.get(resource);
        Set<String> values = new TreeSet<>();
        for (JsonNode item : items) {
            JsonNode v = item.path(hash);
            values.add(v.has("S") ? v.path("S").asText() : v.has("N") ? v.path("N").asText() : v.toString());
        }
        if (hash == null || values.isEmpty()) {
            unread.add(call + ": no partition key of " + resource);
            return call;
        }
        return call.with("dynamodb:LeadingKeys", values.toArray(String[]::new));
    }

    /** A Query's partition key value: the {@code key = :value} part of its KeyConditionExpression. */
    private AwsCall queryLeading(AwsCall call, String resource, JsonNode json) {
        String hash = tableHashKeys.get(resource);
        Matcher m = Pattern.compile("(#?[A-Za-z0-9_]+)\\s*=\\s*(:[A-Za-z0-9_]+)").matcher(json.path("KeyConditionExpression").asText());
        while (m.find()) {
            String name = m.group(1).startsWith("#") ? json.path("ExpressionAttributeNames").path(m.group(1)).asText() : m.group(1);
            if (name.equals(hash)) {
                JsonNode v = json.path("ExpressionAttributeValues").path(m.group(2));
                return call.with("dynamodb:LeadingKeys", v.has("S") ? v.path("S").asText() : v.path("N").asText());
            }
        }
        unread.add(call + ": no partition key in the KeyConditionExpression");
        return call;
    }

    private static String hashKey(JsonNode keySchema) {
        for (JsonNode k : keySchema) {
            if (k.path("KeyType").asText().equals("HASH")) {
                return k.path("AttributeName").asText();
            }
        }
        return null;
    }
}
