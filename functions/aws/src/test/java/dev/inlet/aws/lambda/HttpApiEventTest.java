package dev.inlet.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpApiEventTest {
    private static HttpApiEvent read(String json) throws IOException {
        return HttpApiEvent.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsWhatAReceiverNeeds_andSkipsEverythingElse() throws IOException {
        HttpApiEvent e = read("""
                {"version":"2.0","routeKey":"POST /webhooks/reverb/{topic}/{token}","rawPath":"/x",
                 "cookies":["a=b"],"queryStringParameters":{"q":"1"},
                 "headers":{"content-type":"application/json","x-rheo-signature":"sha256=00"},
                 "requestContext":{"accountId":"000000000000","http":{"method":"POST","path":"/x"},
                                   "requestId":"req-1","timeEpoch":1795585134965},
                 "pathParameters":{"topic":"orders-create","token":"tok"},
                 "body":"{\\"id\\":\\"caf\\u00e9\\"}","isBase64Encoded":false,"stageVariables":null}
                """);

        assertEquals(Map.of("content-type", "application/json", "x-rheo-signature", "sha256=00"), e.headers());
        assertEquals(Map.of("topic", "orders-create", "token", "tok"), e.pathParameters());
        assertEquals("{\"id\":\"caf\u00e9\"}", e.body());
        assertFalse(e.isBase64Encoded());
        assertEquals("req-1", e.requestId());
    }

    @Test
    void absentOrNullFields_areEmpty() throws IOException {
        HttpApiEvent e = read("{\"headers\":null,\"pathParameters\":null,\"body\":null,\"isBase64Encoded\":true}");

        assertEquals(Map.of(), e.headers());
        assertEquals(Map.of(), e.pathParameters());
        assertNull(e.body());
        assertTrue(e.isBase64Encoded());
        assertEquals("", e.requestId());
    }

    @Test
    void anythingElse_isRejected() {
        for (String bad : new String[] {"", "null", "[]", "\"x\"", "{\"headers\":[]}", "{\"headers\":{\"a\":1}}",
                "{\"body\":{}}", "{\"isBase64Encoded\":\"true\"}", "{} {}", "{\"body\":\"x\"", "{\"a\":}"}) {
            assertThrows(IOException.class, () -> read(bad), bad);
        }
    }

    @Test
    void responses_areThePayload2Format_andReadBack() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HttpApiResponse.json(401, "{\"error\":\"bad_signature\"}").writeTo(out);

        assertEquals("{\"statusCode\":401,\"headers\":{\"content-type\":\"application/json\"},"
                + "\"body\":\"{\\\"error\\\":\\\"bad_signature\\\"}\",\"isBase64Encoded\":false}",
                out.toString(StandardCharsets.UTF_8));
        HttpApiResponse back = HttpApiResponse.read(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(401, back.statusCode());
        assertEquals("{\"error\":\"bad_signature\"}", back.body());
        assertEquals(Map.of("content-type", "application/json"), back.headers());
    }
}
