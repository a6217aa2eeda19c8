package dev.inlet.local.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.json.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 that {@code ./inlet local} speaks, spoken to on raw sockets where the bytes matter. */
class LocalHttpServerTest {
    private static final AtomicInteger INVOCATIONS = new AtomicInteger();

    /** Hands back the gateway event it was given, the way a receiver is handed one. */
    private static final LocalHttpServer.Route ECHO = new LocalHttpServer.Route("POST", "/echo/{name}", "Echo",
            (in, out, context) -> {
                INVOCATIONS.incrementAndGet();
                HttpApiResponse.json(202, new String(in.readAllBytes(), StandardCharsets.UTF_8)).writeTo(out);
            });
    private static final LocalHttpServer.Route FAILS = new LocalHttpServer.Route("POST", "/fails", "Fails",
            (in, out, context) -> {
                throw new IllegalStateException("boom with a secret-looking detail");
            });
    private static final LocalHttpServer.Route SPLITS = new LocalHttpServer.Route("POST", "/splits", "Splits",
            (in, out, context) -> out.write(("{\"statusCode\":200,\"headers\":{\"x-a\":\"1\\r\\nSet-Cookie: x=1\"},"
                    + "\"body\":\"ok\"}").getBytes(StandardCharsets.UTF_8)));

    private LocalHttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = new LocalHttpServer(0, List.of(ECHO, FAILS, SPLITS), Clock.systemUTC());
        server.serveOthers(exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String text = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " host="
                    + exchange.getRequestHeaders().getFirst("host") + " body=" + new String(body, StandardCharsets.UTF_8);
            byte[] answer = text.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        INVOCATIONS.set(0);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aRouteGetsTheGatewayEvent_andItsAnswerGoesBackAsHttp() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/echo/abc?b=2&a=x%20y&a=z")).header("X-Sig", "s1")
                .header("x-sig", "s2").POST(HttpRequest.BodyPublishers.ofString("hello")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(202, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        JsonNode event = Json.parse(r.body());
        assertEquals("POST /echo/{name}", event.path("routeKey").asText());
        assertEquals("/echo/abc", event.path("rawPath").asText());
        assertEquals("abc", event.path("pathParameters").path("name").asText());
        assertEquals("hello", event.path("body").asText());
        assertEquals("s1,s2", event.path("headers").path("x-sig").asText(), "lower-cased and comma-joined");
        assertEquals("b=2&a=x%20y&a=z", event.path("rawQueryString").asText());
        assertEquals("x y,z", event.path("queryStringParameters").path("a").asText());
        assertEquals("2", event.path("queryStringParameters").path("b").asText());
    }

    @Test
    void aBodyThatIsNotUtf8_goesToTheHandlerBase64Encoded_asApiGatewaySendsIt() throws Exception {
        byte[][] bodies = {
            "plain ascii".getBytes(StandardCharsets.UTF_8),
            "caf\u00e9 \ufffd kept as text".getBytes(StandardCharsets.UTF_8),   // a real U+FFFD is valid UTF-8
            {'o', 'k', (byte) 0xC3},                                             // cut inside a character
            {(byte) 0xFF, (byte) 0xFE, 0, 1},
        };
        try (Wire wire = new Wire(server.port())) {
            for (byte[] body : bodies) {
                wire.send(post("/echo/b", "", "Content-Length: " + body.length));
                wire.socket.getOutputStream().write(body);
                JsonNode event = Json.parse(wire.answer().body);
                boolean text = !event.path("isBase64Encoded").asBoolean();
                byte[] received = text ? event.path("body").asText().getBytes(StandardCharsets.UTF_8)
                        : java.util.Base64.getDecoder().decode(event.path("body").asText());

                assertTrue(Arrays.equals(body, received), "the handler gets the bytes that were sent");
                assertEquals(body != bodies[2] && body != bodies[3], text);
            }
        }
    }

    @Test
    void responsesDoNotWaitForADelayedAck() throws Exception {
        // A response written in two packets with Nagle's algorithm on waits for the client's delayed ACK:
        // about 40 ms per response on loopback. Without that, a response takes a millisecond or two.
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo/x"))
                .POST(HttpRequest.BodyPublishers.ofString("b")).build();
        long[] millis = new long[15];
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.ofString());
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);

        assertTrue(millis[millis.length / 2] < 25, "median response time " + millis[millis.length / 2] + " ms");
    }

    @Test
    void aKeptAliveConnectionCarriesRequestAfterRequest() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            for (int i = 0; i < 5; i++) {
                wire.send(post("/echo/n" + i, "body " + i, "Content-Length: " + ("body " + i).length()));
                Answer a = wire.answer();
                assertEquals(202, a.status);
                assertEquals("body " + i, Json.parse(a.body).path("body").asText());
                assertNull(a.header("connection"));
            }
        }
        assertEquals(5, INVOCATIONS.get());
    }

    @Test
    void aChunkedBody_reachesTheHandlerWhole() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/c", "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n",
                    "Transfer-Encoding: chunked"));
            Answer a = wire.answer();

            assertEquals(202, a.status);
            assertEquals("hello world", Json.parse(a.body).path("body").asText());
        }
    }

    @Test
    void expectContinue_getsTheInterimAnswerBeforeTheBodyIsSent() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/e", "", "Content-Length: 4", "Expect: 100-continue"));
            Answer interim = wire.answer();
            assertEquals(100, interim.status);

            wire.send("data");
            Answer a = wire.answer();
            assertEquals(202, a.status);
            assertEquals("data", Json.parse(a.body).path("body").asText());
        }
    }

    @Test
    void aBodyOverTheGatewayLimit_is413_andNoHandlerRuns() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/big", "", "Content-Length: " + (LocalHttpServer.GATEWAY_PAYLOAD_LIMIT + 1)));
            Answer a = wire.answer();

            assertEquals(413, a.status);
            assertEquals("Request Entity Too Large", Json.parse(a.body).path("message").asText());
            assertEquals("close", a.header("connection"));
            assertTrue(wire.closedByServer());
        }
        assertEquals(0, INVOCATIONS.get());
    }

    @Test
    void malformedRequests_getAClearStatusAndMessage_andNoHandlerRuns() throws Exception {
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("POST /echo/a HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", 400);                        // no Host
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nHost: h\r\nContent-Length: 1\r\n\r\nx", 400);  // two Hosts
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nContent-Length: 0x10\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/2.0\r\nHost: h\r\n\r\n", 505);
        cases.put("POST /echo/a FTP/1.1\r\nHost: h\r\n\r\n", 400);
        cases.put("POST  /echo/a HTTP/1.1\r\nHost: h\r\n\r\n", 400);
        cases.put("POST echo HTTP/1.1\r\nHost: h\r\n\r\n", 400);
        cases.put("PO(ST /echo/a HTTP/1.1\r\nHost: h\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost : h\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n folded\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n", 400);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nExpect: something-else\r\n\r\n", 417);
        cases.put("POST /echo/a HTTP/1.1\r\nHost: h\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n", 431);
        cases.put("POST /echo/" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: h\r\n\r\n", 414);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            try (Wire wire = new Wire(server.port())) {
                wire.send(c.getKey());
                Answer a = wire.answer();
                String label = c.getKey().substring(0, Math.min(60, c.getKey().length())).replace("\r\n", "|");

                assertEquals(c.getValue(), a.status, label);
                assertFalse(Json.parse(a.body).path("message").asText().isBlank(), label);
                assertEquals("close", a.header("connection"), label);
                assertTrue(wire.closedByServer(), label);
            }
        }
        assertEquals(0, INVOCATIONS.get());
    }

    @Test
    void connectionClose_andHttp10_closeAfterTheAnswer() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/a", "x", "Content-Length: 1", "Connection: close"));
            Answer a = wire.answer();
            assertEquals(202, a.status);
            assertEquals("close", a.header("connection"));
            assertTrue(wire.closedByServer());
        }
        try (Wire wire = new Wire(server.port())) {
            wire.send("POST /echo/a HTTP/1.0\r\nContent-Length: 1\r\n\r\nx");
            assertEquals(202, wire.answer().status);
            assertTrue(wire.closedByServer());
        }
        try (Wire wire = new Wire(server.port())) {
            wire.send("POST /echo/a HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx");
            assertEquals(202, wire.answer().status);
            wire.send("POST /echo/b HTTP/1.0\r\nContent-Length: 1\r\n\r\ny");
            assertEquals(202, wire.answer().status);
            assertTrue(wire.closedByServer());
        }
    }

    @Test
    void aFailingHandler_isA500WithoutDetails_andTheConnectionStaysUsable() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/fails", "x", "Content-Length: 1"));
            Answer failed = wire.answer();
            assertEquals(500, failed.status);
            assertEquals("{\"message\":\"Internal Server Error\"}", failed.body);

            wire.send(post("/splits", "x", "Content-Length: 1"));
            Answer split = wire.answer();
            assertEquals(500, split.status, "a header value with CR LF is never written");
            assertNull(split.header("set-cookie"));

            wire.send(post("/echo/after", "x", "Content-Length: 1"));
            assertEquals(202, wire.answer().status);
        }
    }

    @Test
    void whatNoRouteMatches_goesToTheOtherHandler_asAJdkExchange() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send("PUT /console/x?q=1 HTTP/1.1\r\nHost: here\r\nContent-Length: 3\r\n\r\nabc");
            Answer a = wire.answer();
            assertEquals(200, a.status);
            assertEquals("text/plain", a.header("content-type"));
            assertEquals("PUT /console/x?q=1 host=here body=abc", a.body);

            wire.send("HEAD /console/y HTTP/1.1\r\nHost: here\r\n\r\n");
            Answer head = wire.answer(true);
            assertEquals(200, head.status);
            assertEquals("", head.body, "HEAD: the length is sent, the body is not");
            assertEquals(String.valueOf("HEAD /console/y host=here body=".length()), head.header("content-length"));

            wire.send("GET /console/z HTTP/1.1\r\nHost: here\r\n\r\n");
            assertEquals("GET /console/z host=here body=", wire.answer().body);
        }
    }

    @Test
    void withNoOtherHandler_anUnroutedRequestIs404() throws Exception {
        try (LocalHttpServer bare = new LocalHttpServer(0, List.of(ECHO), Clock.systemUTC());
             Wire wire = new Wire(bare.port())) {
            wire.send("GET /nothing HTTP/1.1\r\nHost: h\r\n\r\n");
            Answer a = wire.answer();
            assertEquals(404, a.status);
            assertEquals("Not Found", Json.parse(a.body).path("message").asText());
        }
    }

    @Test
    void connectionsOverTheLimit_are503_andAFreedSlotIsUsableAgain() throws Exception {
        try (LocalHttpServer small = new LocalHttpServer(0, List.of(ECHO), Clock.systemUTC(), 2);
             Wire first = new Wire(small.port());
             Wire second = new Wire(small.port())) {
            first.send(post("/echo/1", "x", "Content-Length: 1"));
            assertEquals(202, first.answer().status);
            try (Wire third = new Wire(small.port())) {
                Answer refused = third.answer();
                assertEquals(503, refused.status);
                assertEquals("Too many open connections", Json.parse(refused.body).path("message").asText());
                assertTrue(third.closedByServer());
            }
            first.close();
            int status = 0;
            for (int attempt = 0; attempt < 100 && status != 202; attempt++) {
                // the server frees the slot when its read sees the close: at once, but on its own thread
                try (Wire fourth = new Wire(small.port())) {
                    fourth.send(post("/echo/4", "x", "Content-Length: 1"));
                    status = fourth.answer().status;
                } catch (IOException refusedBeforeTheRequestWasRead) {
                    status = 503;
                }
                if (status != 202) {
                    Thread.sleep(50);
                }
            }
            assertEquals(202, status, "a freed slot takes a new connection");
            second.send(post("/echo/2", "y", "Content-Length: 1"));
            assertEquals(202, second.answer().status);
        }
    }

    @Test
    void aClientThatLeavesMidBody_costsTheServerNothing() throws Exception {
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/gone", "only part", "Content-Length: 100"));
        }
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/next", "x", "Content-Length: 1"));
            assertEquals(202, wire.answer().status);
        }
        assertEquals(1, INVOCATIONS.get());
    }

    @Test
    void concurrentConnections_eachGetTheirOwnAnswers() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(16);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int connection = c;
                done.add(senders.submit(() -> {
                    try (Wire wire = new Wire(server.port())) {
                        for (int i = 0; i < 40; i++) {
                            String body = "c" + connection + "-r" + i;
                            wire.send(post("/echo/" + body, body, "Content-Length: " + body.length()));
                            Answer a = wire.answer();
                            JsonNode event = Json.parse(a.body);
                            assertEquals(body, event.path("body").asText());
                            assertEquals(body, event.path("pathParameters").path("name").asText());
                        }
                    }
                    return 40;
                }));
            }
            int answered = 0;
            for (Future<Integer> f : done) {
                answered += f.get();
            }
            assertEquals(640, answered);
            assertEquals(640, INVOCATIONS.get());
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void randomBytes_areNeverAccepted_andTheServerStaysUp() throws Exception {
        // No Host field among the pieces: nothing generated can be a valid HTTP/1.1 request.
        Random random = new Random(15);
        String[] pieces = {"POST", " ", "/echo/a", "HTTP/1.1", "\r\n", "\n", "Content-Length: 3",
            "Transfer-Encoding: chunked", ":", "0", "\r\n\r\n", "abc", "\u0000", "\t", "Expect: 100-continue"};
        for (int i = 0; i < 300; i++) {
            StringBuilder junk = new StringBuilder();
            if (random.nextBoolean()) {
                for (int n = random.nextInt(12); n > 0; n--) {
                    junk.append(pieces[random.nextInt(pieces.length)]);
                }
            } else {
                for (int n = random.nextInt(200); n > 0; n--) {
                    junk.append((char) random.nextInt(256));
                }
            }
            junk.append("\r\n\r\n");
            try (Wire wire = new Wire(server.port())) {
                wire.socket.setSoTimeout(2_000);
                wire.send(junk.toString());
                wire.socket.shutdownOutput();
                byte[] all = wire.in.readAllBytes();
                String text = new String(all, StandardCharsets.ISO_8859_1);
                assertFalse(text.startsWith("HTTP/1.1 2"), "accepted: " + junk);
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError("no answer and no close for: " + junk, e);
            }
        }
        assertEquals(0, INVOCATIONS.get());
        try (Wire wire = new Wire(server.port())) {
            wire.send(post("/echo/alive", "x", "Content-Length: 1"));
            assertEquals(202, wire.answer().status);
        }
    }

    private static String post(String path, String body, String... headers) {
        StringBuilder b = new StringBuilder("POST ").append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").append(body).toString();
    }

    private record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** One client connection, written as text and read response by response. */
    private static final class Wire implements AutoCloseable {
        final Socket socket;
        final InputStream in;

        Wire(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
        }

        void send(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        Answer answer() throws IOException {
            return answer(false);
        }

        Answer answer(boolean head) throws IOException {
            String status = line();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                headers.put(h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            int length = head || !headers.containsKey("content-length") ? 0
                    : Integer.parseInt(headers.get("content-length"));
            byte[] body = in.readNBytes(length);
            return new Answer(Integer.parseInt(status.substring(9, 12)), headers,
                    new String(body, StandardCharsets.UTF_8));
        }

        boolean closedByServer() throws IOException {
            return in.read() == -1;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed after: " + b);
                }
                b.write(c);
            }
            String s = b.toString(StandardCharsets.ISO_8859_1);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
