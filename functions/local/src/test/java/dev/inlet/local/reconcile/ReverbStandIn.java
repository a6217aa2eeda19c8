package dev.inlet.local.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.inlet.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback stand-in of Reverb's order listing, shaped as docs/providers.md records it:
 * {@code GET /api/my/orders/selling/all?updated_start_date=&updated_end_date=} answers the seller's orders
 * whose {@code updated_at} lies in the window, {@code perPage} a page, with {@code total},
 * {@code current_page}, {@code total_pages}, {@code orders} and {@code _links.next.href} (absolute, as
 * Reverb's are) while more pages follow. It demands {@code Authorization: Bearer <token>} (else 401) and
 * {@code Accept-Version: 3.0}; scripted answers (a 429 with Retry-After, a 401) go first, one per request.
 */
public final class ReverbStandIn implements AutoCloseable {
    /** One request as received: the path with its query, and its headers. */
    public record Request(String pathAndQuery, Map<String, String> headers) {}

    /** A scripted answer for the next request: its status, headers and body. */
    public record Scripted(int status, Map<String, String> headers, String body) {}

    public static final String TOKEN = "test-reverb-api-token-not-real-0001";

    private final HttpServer server;
    private final List<ObjectNode> orders = new CopyOnWriteArrayList<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final int perPage;
    private volatile int failFrom = Integer.MAX_VALUE;
    private volatile int failStatus;

    public ReverbStandIn(int perPage) throws IOException {
        this.perPage = perPage;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The API base to give as REVERB_API_BASE. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    /** Adds (or replaces, by order number) an order: what Reverb would list. */
    public ReverbStandIn order(String orderNumber, String status, Instant updatedAt) {
        orders.removeIf(o -> o.path("order_number").asText().equals(orderNumber));
        orders.add(orderJson(orderNumber, status, updatedAt));
        return this;
    }

    /** The order as Reverb's API and its orders/* webhooks carry it (the fields the processor reads, and some). */
    public static ObjectNode orderJson(String orderNumber, String status, Instant updatedAt) {
        ObjectNode o = Json.object();
        o.put("order_number", orderNumber);
        o.put("status", status);
        o.put("created_at", updatedAt.minusSeconds(86_400).toString());
        o.put("updated_at", updatedAt.toString());
        o.put("buyer_id", 7);
        o.put("sku", "SKU-" + orderNumber);
        o.put("quantity", 1);
        o.putObject("total").put("amount", "103.00").put("currency", "USD");
        o.putObject("_links").putObject("self").put("href", "https://api.reverb.com/api/my/orders/selling/" + orderNumber);
        return o;
    }

    /** The next request gets this answer instead of the listing. */
    public synchronized ReverbStandIn thenAnswer(int status, Map<String, String> headers, String body) {
        script.add(new Scripted(status, headers, body));
        return this;
    }

    /** From the {@code n}th request on (1-based), every request is answered {@code status} (a page that keeps failing). */
    public ReverbStandIn failFromRequest(int n, int status) {
        failStatus = status;
        failFrom = n;
        return this;
    }

    /** Requests answer normally again. */
    public ReverbStandIn recover() {
        failFrom = Integer.MAX_VALUE;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
        URI uri = exchange.getRequestURI();
        requests.add(new Request(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), headers));
        Scripted scripted;
        synchronized (this) {
            scripted = script.poll();
        }
        if (scripted != null) {
            answer(exchange, scripted.status(), scripted.headers(), scripted.body());
            return;
        }
        if (requests.size() >= failFrom) {
            answer(exchange, failStatus, Map.of(), "{\"message\":\"scripted failure\"}");
            return;
        }
        if (!("Bearer " + TOKEN).equals(headers.get("authorization"))) {
            answer(exchange, 401, Map.of(), "{\"message\":\"You must log in to access this endpoint\"}");
            return;
        }
        if (!"3.0".equals(headers.get("accept-version"))) {
            answer(exchange, 400, Map.of(), "{\"message\":\"Accept-Version 3.0 expected by this stand-in\"}");
            return;
        }
        if (!exchange.getRequestMethod().equals("GET") || !uri.getRawPath().equals("/api/my/orders/selling/all")) {
            answer(exchange, 404, Map.of(), "{\"message\":\"Not Found\"}");
            return;
        }
        Map<String, String> query = query(uri.getRawQuery());
        Instant from = Instant.parse(query.get("updated_start_date"));
        Instant until = Instant.parse(query.get("updated_end_date"));
        int page = Integer.parseInt(query.getOrDefault("page", "1"));
        List<ObjectNode> matching = new ArrayList<>(orders.stream().filter(o -> {
            Instant at = Instant.parse(o.path("updated_at").asText());
            return !at.isBefore(from) && at.isBefore(until);
        }).toList());
        matching.sort(Comparator.comparing(o -> o.path("order_number").asText()));
        int totalPages = Math.max(1, (matching.size() + perPage - 1) / perPage);
        ObjectNode body = Json.object();
        body.put("total", matching.size());
        body.put("current_page", page);
        body.put("total_pages", totalPages);
        ArrayNode list = body.putArray("orders");
        matching.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(list::add);
        ObjectNode links = body.putObject("_links");
        String self = base() + "/my/orders/selling/all?updated_start_date=" + query.get("updated_start_date")
                + "&updated_end_date=" + query.get("updated_end_date");
        if (page < totalPages) {
            links.putObject("next").put("href", self + "&page=" + (page + 1));
        }
        if (page > 1) {
            links.putObject("prev").put("href", self + "&page=" + (page - 1));
        }
        answer(exchange, 200, Map.of(), Json.write(body));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, String> headers, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/hal+json");
        headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
