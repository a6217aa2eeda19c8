package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.lambda.HttpApiEvent;
import dev.inlet.aws.lambda.HttpApiResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalHttpServerTest {
    /** Echoes what it was handed, the way a receiver is handed an HTTP API event. */
    private static final LocalHttpServer.Route ECHO = new LocalHttpServer.Route("POST", "/echo/{name}", "Echo",
            (in, out, context) -> {
                HttpApiEvent e = HttpApiEvent.read(in);
                HttpApiResponse.json(202, "{\"name\":\"" + e.pathParameters().get("name") + "\",\"body\":\""
                        + e.body() + "\",\"sig\":\"" + e.headers().get("x-sig") + "\"}").writeTo(out);
            });

    @Test
    void aRouteGetsTheGatewayEvent_andItsAnswerGoesBackAsHttp() throws Exception {
        try (LocalHttpServer server = new LocalHttpServer(0, List.of(ECHO), Clock.systemUTC())) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/echo/abc")).header("X-Sig", "s1")
                    .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(202, r.statusCode());
            assertEquals("{\"name\":\"abc\",\"body\":\"hello\",\"sig\":\"s1\"}", r.body());
            assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
        }
    }

    @Test
    void responsesDoNotWaitForADelayedAck() throws Exception {
        // With Nagle's algorithm on, the JDK server's second write (the body) waits for the client's
        // delayed ACK: about 40 ms per response on loopback. Without it, a response takes a millisecond or two.
        try (LocalHttpServer server = new LocalHttpServer(0, List.of(ECHO), Clock.systemUTC())) {
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
    }
}
