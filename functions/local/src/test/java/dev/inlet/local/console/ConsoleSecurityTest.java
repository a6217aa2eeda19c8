package dev.inlet.local.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventKey;
import dev.inlet.local.StackClient;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The console's guard, spoken to as raw HTTP (so every header is the test's choice): state changes and
 * reads need the per-run token, a foreign Origin or Host is refused, and the webhook routes are unchanged.
 */
public class ConsoleSecurityTest {
    private static LocalStack stack;
    private static ConsoleServer console;
    private static StackClient records;
    private static EventKey processed;
    private static String host;
    private static String token;
    private static String cookie;

    @BeforeAll
    static void start() throws Exception {
        stack = LocalStack.start(LocalStack.Options.forTests());
        console = ConsoleServer.forLocalStack(stack, Clock.systemUTC());
        records = new StackClient(stack, "RheoReceiverFunction");
        host = "127.0.0.1:" + stack.baseUrl().getPort();
        ProviderSamples rheo = Samples.of("rheo").orElseThrow();
        Env env = stack.functionSettings();
        SampleRequest request = rheo.build("item.sold", env, Instant.now(), UUID.randomUUID().toString());
        assertEquals(200, records.post(request).statusCode());
        processed = StackClient.keyOf(rheo, env, request);
        assertTrue(records.find("rheo", processed.dedupKey()).isPresent());
        cookie = session(console.oneTimeUrl());
        token = runToken(raw("GET", "/", headers(), null).body);
    }

    @AfterAll
    static void stop() {
        if (console != null) {
            console.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void replayWithoutTheRunToken_isRefusedAndChangesNothing() throws Exception {
        Answer answer = raw("POST", "/console/api/replay", headers("Content-Type", "application/json"), replayBody());

        assertEquals(403, answer.status, answer.body);
        assertTrue(answer.body.contains("console token"), answer.body);
        assertEquals(0, replayCount());
    }

    @Test
    void replayWithAWrongToken_isRefused() throws Exception {
        Answer answer = raw("POST", "/console/api/replay", headers("Content-Type", "application/json",
                ConsoleGuard.TOKEN_HEADER, token.substring(1) + "x"), replayBody());

        assertEquals(403, answer.status, answer.body);
        assertEquals(0, replayCount());
    }

    @Test
    void replayFromAnotherOrigin_isRefusedEvenWithTheToken() throws Exception {
        Answer answer = raw("POST", "/console/api/replay", headers("Content-Type", "application/json",
                ConsoleGuard.TOKEN_HEADER, token, "Origin", "http://evil.example"), replayBody());

        assertEquals(403, answer.status, answer.body);
        assertTrue(answer.body.contains("cross-origin"), answer.body);
        assertEquals(0, replayCount());
    }

    @Test
    void aFormPost_isRefusedEvenWithTheToken() throws Exception {
        Answer answer = raw("POST", "/console/api/replay", headers("Content-Type",
                "application/x-www-form-urlencoded", ConsoleGuard.TOKEN_HEADER, token), replayBody());

        assertEquals(403, answer.status, answer.body);
        assertEquals(0, replayCount());
    }

    @Test
    void pageAndApi_underAForeignHostName_areRefused() throws Exception {
        // A DNS-rebinding page reaches 127.0.0.1 under its own name: it must not get the page or its token.
        Answer page = raw("GET", "/", Map.of("Host", "evil.example:" + stack.baseUrl().getPort()), null);
        Answer api = raw("GET", "/console/api/events", Map.of("Host", "evil.example",
                ConsoleGuard.TOKEN_HEADER, token), null);

        assertEquals(403, page.status);
        assertTrue(!page.body.contains(token));
        assertEquals(403, api.status);
    }

    @Test
    void aClientWithoutTheOneTimeUrl_getsTheLoginPageOnly_neverTheTokenABodyOrData() throws Exception {
        // Any local program can name the right Host (and even knows the run token in this test): without
        // the session that only the one-time URL opens, it gets the login page and nothing else.
        Map<String, String> noSession = Map.of("Host", host, ConsoleGuard.TOKEN_HEADER, token);
        Answer page = raw("GET", "/", noSession, null);
        Answer script = raw("GET", "/console/console.js", noSession, null);
        Answer events = raw("GET", "/console/api/events", noSession, null);
        Answer event = raw("GET", "/console/api/event?id="
                + java.net.URLEncoder.encode(processed.id(), StandardCharsets.UTF_8), noSession, null);
        Answer replay = raw("POST", "/console/api/replay", withJson(noSession), replayBody());
        Answer published = raw("GET", "/console/api/published", noSession, null);
        Answer forged = raw("GET", "/", Map.of("Host", host, "Cookie", cookieName() + "=" + ConsoleGuard.newToken()), null);

        for (Answer a : java.util.List.of(page, script, forged)) {
            assertEquals(401, a.status, a.body);
            assertTrue(a.body.contains("one-time URL"), "the login page: " + a.body);
        }
        for (Answer a : java.util.List.of(page, script, events, event, replay, published, forged)) {
            assertTrue(!a.body.contains(token) && !a.body.contains("inlet-token"), "no token: " + a.body);
            assertTrue(!a.body.contains(processed.dedupKey()), "no data: " + a.body);
        }
        assertEquals(401, events.status, events.body);
        assertEquals(401, published.status, published.body);
        assertEquals(401, event.status, event.body);
        assertEquals(401, replay.status, replay.body);
        assertEquals(0, replayCount());
    }

    @Test
    void theOneTimeUrl_opensOneSessionWithAStrictHttpOnlyCookie_andThenNeverAgain() throws Exception {
        String url = console.oneTimeUrl();
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();

        Answer first = raw("GET", path, Map.of("Host", host), null);
        Answer second = raw("GET", path, Map.of("Host", host), null);
        Answer guessed = raw("GET", "/login?code=" + ConsoleGuard.newToken(), Map.of("Host", host), null);

        assertEquals(303, first.status, first.head);
        assertTrue(first.head.contains("\r\nLocation: /\r\n"), "redirects to the clean URL: " + first.head);
        String setCookie = header(first.head, "Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        assertEquals(401, second.status, "a used one-time URL opens nothing: " + second.head);
        assertTrue(header(second.head, "Set-Cookie").isEmpty(), second.head);
        assertEquals(401, guessed.status, guessed.head);
        String opened = setCookie.substring(0, setCookie.indexOf(';'));
        assertEquals(200, raw("GET", "/", Map.of("Host", host, "Cookie", opened), null).status,
                "the cookie the first request got opens the page");
    }

    @Test
    void theOneTimeUrl_underAForeignHostName_opensNothing() throws Exception {
        String url = console.oneTimeUrl();
        String path = URI.create(url).getRawPath() + "?" + URI.create(url).getRawQuery();
        Answer rebound = raw("GET", path, Map.of("Host", "evil.example:" + stack.baseUrl().getPort()), null);

        assertEquals(403, rebound.status, rebound.head);
        assertTrue(header(rebound.head, "Set-Cookie").isEmpty(), rebound.head);
    }

    @Test
    void readingEventsWithoutTheToken_isRefused() throws Exception {
        assertEquals(403, raw("GET", "/console/api/events", headers(), null).status, "a session alone is not enough");
        assertEquals(200, raw("GET", "/console/api/events", headers(ConsoleGuard.TOKEN_HEADER, token), null).status);
        assertEquals(403, raw("GET", "/console/api/published", headers(), null).status, "published events too");
        assertEquals(200, raw("GET", "/console/api/published", headers(ConsoleGuard.TOKEN_HEADER, token), null).status);
    }

    @Test
    void replayWithTheToken_fromThePagesOrigin_isAccepted() throws Exception {
        Answer answer = raw("POST", "/console/api/replay", headers("Content-Type", "application/json",
                ConsoleGuard.TOKEN_HEADER, token, "Origin", "http://" + host), "{\"id\":\"rheo#no-such-event\"}");

        assertEquals(200, answer.status, answer.body);
        assertTrue(answer.body.contains("\"replayed\":false"), answer.body);
    }

    @Test
    void webhookRoutes_stillAnswerAsTheGatewayWould() throws Exception {
        assertEquals(404, raw("GET", "/webhooks/nowhere", Map.of("Host", host), null).status);
        Answer unsigned = raw("POST", "/webhooks/rheo", headers("Content-Type", "application/json"), "{}");
        assertEquals(401, unsigned.status, unsigned.body);
    }

    /** Opens the one-time URL as a browser would; the session cookie ("name=value") it set. */
    private static String session(String oneTimeUrl) throws IOException {
        URI url = URI.create(oneTimeUrl);
        Answer answer = raw("GET", url.getRawPath() + "?" + url.getRawQuery(), Map.of("Host", host), null);
        assertEquals(303, answer.status, answer.head);
        String set = header(answer.head, "Set-Cookie");
        return set.substring(0, set.indexOf(';'));
    }

    private static String cookieName() {
        return cookie.substring(0, cookie.indexOf('='));
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private static Map<String, String> withJson(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        out.put("Content-Type", "application/json");
        return out;
    }

    /** The per-run token the console page carries. */
    public static String runToken(String page) {
        Matcher m = Pattern.compile("name=\"inlet-token\" content=\"([^\"]+)\"").matcher(page);
        assertTrue(m.find(), "the page carries the run's token");
        return m.group(1);
    }

    private static String replayBody() {
        return "{\"id\":\"" + processed.id() + "\"}";
    }

    private static int replayCount() {
        return records.find(processed.provider(), processed.dedupKey()).orElseThrow().replayCount();
    }

    private static Map<String, String> headers(String... pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Host", host);
        out.put("Cookie", cookie);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private record Answer(int status, String head, String body) {}

    /** One HTTP/1.1 exchange on a fresh connection, with exactly these headers. */
    private static Answer raw(String method, String path, Map<String, String> headers, String body) throws IOException {
        URI base = stack.baseUrl();
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        request.append("Content-Length: ").append(content.length).append("\r\nConnection: close\r\n\r\n");
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            return new Answer(status, split < 0 ? response : response.substring(0, split + 2),
                    split < 0 ? "" : response.substring(split + 4));
        }
    }
}
