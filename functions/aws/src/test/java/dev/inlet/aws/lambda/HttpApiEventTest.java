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

    /**
     * The payload format 2.0 example AWS publishes (API Gateway developer guide, "Create AWS Lambda proxy
     * integrations for HTTP APIs", payload format structure), with its documented facts: header names in
     * lower case, a repeated header comma-joined into one value, cookies in their own field. Our reader
     * must take what a receiver needs from it and ignore the rest (authorizer, stage variables...).
     */
    @Test
    void awsPublishedPayload2Example_givesTheReceiverItsHeadersAsSent_repeatedOnesCommaJoined() throws IOException {
        HttpApiEvent e = read("""
                {"version":"2.0","routeKey":"$default","rawPath":"/my/path",
                 "rawQueryString":"parameter1=value1&parameter1=value2&parameter2=value",
                 "cookies":["cookie1","cookie2"],
                 "headers":{"header1":"value1","header2":"value1,value2"},
                 "queryStringParameters":{"parameter1":"value1,value2","parameter2":"value"},
                 "requestContext":{"accountId":"123456789012","apiId":"api-id",
                   "authentication":{"clientCert":{"clientCertPem":"CERT_CONTENT","subjectDN":"www.example.com",
                     "issuerDN":"Example issuer","serialNumber":"a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1:a1",
                     "validity":{"notBefore":"May 28 12:30:02 2019 GMT","notAfter":"Aug  5 09:36:04 2021 GMT"}}},
                   "authorizer":{"jwt":{"claims":{"claim1":"value1","claim2":"value2"},"scopes":["scope1","scope2"]}},
                   "domainName":"id.execute-api.us-east-1.amazonaws.com","domainPrefix":"id",
                   "http":{"method":"POST","path":"/my/path","protocol":"HTTP/1.1","sourceIp":"192.0.2.1",
                           "userAgent":"agent"},
                   "requestId":"id","routeKey":"$default","stage":"$default",
                   "time":"12/Mar/2020:19:03:58 +0000","timeEpoch":1583348638390},
                 "body":"Hello from Lambda","pathParameters":{"parameter1":"value1"},"isBase64Encoded":false,
                 "stageVariables":{"stageVariable1":"value1","stageVariable2":"value2"}}
                """);

        assertEquals(Map.of("header1", "value1", "header2", "value1,value2"), e.headers());
        assertEquals(Map.of("parameter1", "value1"), e.pathParameters());
        assertEquals("Hello from Lambda", e.body());
        assertFalse(e.isBase64Encoded());
        assertEquals("id", e.requestId());
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
