package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.inlet.aws.lambda.HttpApiResponse;
import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.emulator.HttpApiEvents;
import dev.inlet.local.emulator.LocalContext;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.rheo.RheoProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every hostile input gets a defined answer (never a 500), and nothing unverified is stored. */
class HostileInputTest {
    private static final Pattern ANSWER = Pattern.compile("\\{\"(status|error)\":\"[a-z_]+\"\\}");
    private static LocalStack stack;
    private static StackClient client;
    private static RheoProvider rheo;
    private int storedBefore;

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests().withPolling(false));
        client = new StackClient(stack, "RheoReceiverFunction");
        rheo = RheoProvider.from(Env.of(stack.environmentOf("RheoReceiverFunction")));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private HttpResponse<String> send(byte[] body, Map<String, String> headers) throws Exception {
        storedBefore = client.all().size();
        HttpResponse<String> r = client.post("/webhooks/rheo", headers, body);
        assertTrue(ANSWER.matcher(r.body()).matches(), "a short code, never internals: " + r.body());
        assertTrue(r.statusCode() != 500, "never a 500");
        return r;
    }

    private Map<String, String> signed(byte[] body) {
        return Map.of("content-type", "application/json", "x-rheo-signature", rheo.sign(0, body));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] event(String id, Instant t) {
        return utf8("{\"eventId\":\"" + id + "\",\"eventType\":\"item.sold\",\"timestamp\":\"" + t + "\",\"data\":{}}");
    }

    private void assertNothingStored() {
        assertEquals(storedBefore, client.all().size(), "nothing stored");
    }

    @Test
    void bodyOverTheLimit_is413_beforeVerification() throws Exception {
        byte[] big = new byte[262_145];
        java.util.Arrays.fill(big, (byte) 'a');

        HttpResponse<String> r = send(big, signed(big));

        assertEquals(413, r.statusCode());
        assertEquals("{\"error\":\"body_too_large\"}", r.body());
        assertNothingStored();
    }

    @Test
    void tooManyOrTooLargeHeaders_are431() throws Exception {
        byte[] body = event("evt_h1", Instant.now());
        Map<String, String> many = new HashMap<>(signed(body));
        for (int i = 0; i < 120; i++) {
            many.put("x-padding-" + i, "v");
        }
        Map<String, String> large = new HashMap<>(signed(body));
        large.put("x-large", "v".repeat(17_000));

        assertEquals(431, send(body, many).statusCode());
        assertNothingStored();
        HttpResponse<String> r = send(body, large);
        assertEquals(431, r.statusCode());
        assertEquals("{\"error\":\"headers_too_large\"}", r.body());
        assertNothingStored();
    }

    @Test
    void emptyBody_unsignedIs401_signedIsQuarantined() throws Exception {
        assertEquals(401, send(new byte[0], Map.of()).statusCode());
        assertNothingStored();

        HttpResponse<String> r = send(new byte[0], signed(new byte[0]));

        assertEquals(200, r.statusCode());
        assertEquals("{\"status\":\"quarantined\"}", r.body());
    }

    @Test
    void invalidUtf8_signed_isQuarantinedWithItsExactBytes() throws Exception {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        HttpResponse<String> r = send(body, signed(body));

        assertEquals("{\"status\":\"quarantined\"}", r.body());
        var stored = client.find("rheo", "sha256:" + dev.inlet.core.signature.Digests.sha256Hex(body)).orElseThrow();
        assertEquals(EventStatus.QUARANTINED, stored.status());
        assertEquals(java.util.HexFormat.of().formatHex(body), java.util.HexFormat.of().formatHex(stored.body()));
    }

    @Test
    void nonJsonContentType_doesNotMatter_theSignatureDecides() throws Exception {
        byte[] body = event("evt_ct", Instant.now());
        Map<String, String> headers = new HashMap<>(signed(body));
        headers.put("content-type", "text/plain");

        assertEquals("{\"status\":\"accepted\"}", send(body, headers).body());
    }

    @Test
    void duplicateSignatureHeaders_arriveCommaJoined_andAreMalformed() throws Exception {
        byte[] body = event("evt_dup_hdr", Instant.now());
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/webhooks/rheo"))
                .header("x-rheo-signature", rheo.sign(0, body))
                .header("x-rheo-signature", "sha256=" + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        storedBefore = client.all().size();

        HttpResponse<String> r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(401, r.statusCode());
        assertEquals("{\"error\":\"malformed_signature\"}", r.body());
        assertNothingStored();
    }

    @Test
    void authenticBodyWithDuplicateKeysOrDeepNesting_isQuarantined_notReadOneWay() throws Exception {
        byte[] dup = utf8("{\"eventId\":\"evt_a\",\"eventId\":\"evt_b\",\"eventType\":\"item.sold\",\"timestamp\":\""
                + Instant.now() + "\"}");
        byte[] deep = utf8("{\"eventId\":\"evt_deep\",\"eventType\":\"x\",\"timestamp\":\"" + Instant.now()
                + "\",\"data\":" + "[".repeat(200) + "]".repeat(200) + "}");

        assertEquals("{\"status\":\"quarantined\"}", send(dup, signed(dup)).body());
        assertTrue(client.find("rheo", "evt_a").isEmpty() && client.find("rheo", "evt_b").isEmpty());
        assertEquals("{\"status\":\"quarantined\"}", send(deep, signed(deep)).body());
    }

    @Test
    void farFutureOrMalformedTimestamps_areTypedRejections() throws Exception {
        byte[] future = event("evt_future", Instant.now().plus(Duration.ofDays(3650)));
        byte[] words = utf8("{\"eventId\":\"evt_words\",\"eventType\":\"x\",\"timestamp\":\"tomorrow-ish\"}");
        byte[] number = utf8("{\"eventId\":\"evt_num\",\"eventType\":\"x\",\"timestamp\":99999999999999999999}");

        assertEquals("{\"error\":\"timestamp_in_future\"}", send(future, signed(future)).body());
        assertEquals("{\"error\":\"timestamp_malformed\"}", send(words, signed(words)).body());
        assertEquals("{\"error\":\"timestamp_malformed\"}", send(number, signed(number)).body());
        assertNothingStored();
    }

    @Test
    void invalidBase64FromTheGateway_is400_andStoresNothing() {
        storedBefore = client.all().size();

        HttpApiResponse r = invokeRheo(gatewayEvent("%%% not base64 %%%", true,
                Map.of("x-rheo-signature", "sha256=" + "0".repeat(64))));

        assertEquals(400, r.statusCode());
        assertEquals("{\"error\":\"bad_encoding\"}", r.body());
        assertNothingStored();
    }

    @Test
    void validBase64FromTheGateway_isVerifiedOnTheDecodedBytes() {
        byte[] body = event("evt_b64", Instant.now());

        HttpApiResponse r = invokeRheo(gatewayEvent(java.util.Base64.getEncoder().encodeToString(body), true,
                signed(body)));

        assertEquals("{\"status\":\"accepted\"}", r.body());
    }

    @Test
    void anInvocationThatIsNotAnHttpApiEvent_is400_andStoresNothing() {
        storedBefore = client.all().size();
        for (String notAnEvent : new String[] {"", "[]", "{\"headers\":[1]}", "{\"body\":{}}",
                "{\"isBase64Encoded\":\"yes\"}", "{\"body\":\"x\"} trailing", "{\"headers\":"}) {
            HttpApiResponse r = invokeRheo(notAnEvent.getBytes(StandardCharsets.UTF_8));

            assertEquals(400, r.statusCode(), notAnEvent);
            assertEquals("{\"error\":\"bad_event\"}", r.body(), notAnEvent);
        }
        assertNothingStored();
    }

    private static byte[] gatewayEvent(String body, boolean base64, Map<String, String> headers) {
        var event = dev.inlet.core.json.Json.mapper().createObjectNode();
        event.put("version", "2.0");
        headers.forEach(event.putObject("headers")::put);
        event.put("body", body);
        event.put("isBase64Encoded", base64);
        event.putObject("requestContext").put("requestId", "hostile");
        return event.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static HttpApiResponse invokeRheo(byte[] event) {
        return HttpApiEvents.invoke((RequestStreamHandler) stack.handler("RheoReceiverFunction"), event,
                new LocalContext("RheoReceiverFunction", "t", 10_000));
    }
}
