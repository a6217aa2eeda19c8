package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.config.Env;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.LocalContext;
import dev.inlet.local.emulator.LocalStack;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reverb's path token is its only secret, so nothing a Reverb route answers may tell a prober that the
 * route exists: every failure, the size and header limits and bad encoding included, answers exactly
 * as a path that matches no route does (API Gateway's own {@code 404 {"message":"Not Found"}}).
 */
class ReverbRouteHidingTest {
    private static LocalStack stack;
    private static StackClient client;
    private static String token;
    private static HttpResponse<String> unknownRoute;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false));
        client = new StackClient(stack, "ReverbReceiverFunction");
        token = Env.of(stack.environmentOf("ReverbReceiverFunction")).list("REVERB_PATH_TOKENS").get(0);
        unknownRoute = client.post("/webhooks/no-such-provider", Map.of(), utf8("{}"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] order(int padding) {
        return utf8("{\"order_number\":\"hide-1\",\"status\":\"paid\",\"note\":\"" + "x".repeat(padding) + "\"}");
    }

    /** Status, body and every response header but the date, as a prober would compare them. */
    private static String answer(HttpResponse<String> r) {
        Map<String, Object> headers = new TreeMap<>(r.headers().map());
        headers.remove("date");
        return r.statusCode() + " " + headers + " " + r.body();
    }

    private void assertLikeAnUnknownRoute(String path, Map<String, String> headers, byte[] body) throws Exception {
        int before = client.all().size();

        HttpResponse<String> r = client.post(path, headers, body);

        assertEquals(answer(unknownRoute), answer(r), path.replace(token, "<token>") + " " + body.length + " bytes");
        assertEquals(before, client.all().size(), "nothing stored");
    }

    @Test
    void theBaseline_isTheGatewaysOwnNotFound() {
        assertEquals(404, unknownRoute.statusCode());
        assertEquals("{\"message\":\"Not Found\"}", unknownRoute.body());
    }

    @Test
    void wrongTokenOrUnknownTopic_answerLikeAnUnknownRoute() throws Exception {
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-create/guess-" + token, Map.of(), order(10));
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-explode/" + token, Map.of(), order(10));
    }

    @Test
    void bodyOverTheLimit_answersLikeAnUnknownRoute_notWith413_whateverTheToken() throws Exception {
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-create/guess-" + token, Map.of(), order(300_000));
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-create/" + token, Map.of(), order(300_000));
    }

    @Test
    void tooManyOrTooLargeHeaders_answerLikeAnUnknownRoute_notWith431() throws Exception {
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 120; i++) {
            many.put("x-padding-" + i, "v");
        }
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-create/guess-" + token, many, order(10));
        assertLikeAnUnknownRoute("/webhooks/reverb/orders-create/" + token, Map.of("x-large", "v".repeat(17_000)),
                order(10));
    }

    @Test
    void invalidBase64FromTheGateway_answersLikeAnUnknownRoute_notWith400() {
        var event = dev.inlet.core.json.Json.mapper().createObjectNode();
        event.put("version", "2.0");
        event.putObject("headers").put("content-type", "application/json");
        event.putObject("pathParameters").put("topic", "orders-create").put("token", "guess-" + token);
        event.put("body", "%%% not base64 %%%");
        event.put("isBase64Encoded", true);
        event.putObject("requestContext").put("requestId", "hostile");

        HttpApiResponse r = HttpApiEvents.invoke((RequestStreamHandler) stack.handler("ReverbReceiverFunction"),
                event.toString().getBytes(StandardCharsets.UTF_8),
                new LocalContext("ReverbReceiverFunction", "t", 10_000));

        assertEquals(unknownRoute.statusCode(), r.statusCode());
        assertEquals(unknownRoute.body(), r.body());
        assertEquals(unknownRoute.headers().firstValue("content-type").orElseThrow(), r.headers().get("content-type"));
    }

    @Test
    void theRightTokenWithAGoodBody_isStillAccepted() throws Exception {
        HttpResponse<String> r = client.post("/webhooks/reverb/orders-create/" + token, Map.of(), order(10));

        assertEquals(200, r.statusCode(), r.body());
    }
}
