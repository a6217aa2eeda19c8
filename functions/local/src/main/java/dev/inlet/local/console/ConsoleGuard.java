package dev.inlet.local.console;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.inlet.core.signature.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Who may use the console. It listens on 127.0.0.1 only; on top of that:
 * <ul>
 *   <li>nothing but a login page is served without a session: only the one-time URL the command prints
 *       in its own terminal ({@link #oneTimeUrl()}) opens one, once, by setting an {@code HttpOnly},
 *       {@code SameSite=Strict} cookie and redirecting to the clean URL; any other local program (which can
 *       set any Host header it likes) gets the login page, never the token, a body or any data;</li>
 *   <li>every request must name this server as its {@code Host} (a DNS-rebinding page names its own
 *       domain), so no other site can read the page or its token;</li>
 *   <li>every API call must carry the per-run token, which only the page served by this process knows
 *       ({@code X-Inlet-Token}: a custom header, so a cross-site request needs a CORS preflight, which
 *       the console never grants);</li>
 *   <li>a browser's {@code Origin} and {@code Sec-Fetch-Site}, when sent, must say the same origin;</li>
 *   <li>state-changing calls must send JSON (a cross-site form cannot).</li>
 * </ul>
 */
public final class ConsoleGuard {
    public static final String TOKEN_HEADER = "X-Inlet-Token";
    static final String LOGIN_PATH = "/login";
    private static final String LOGIN_PAGE = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Inlet console"
            + "</title></head><body><h1>Inlet console</h1><p>Open the one-time URL that <code>./inlet local</code> (or "
            + "<code>./inlet console --stack NAME</code>) printed in its terminal. Each URL opens the console once, in one "
            + "browser; start the command again for a new one.</p></body></html>";

    private final String token;
    private final IntSupplier port;
    /** Digests of the one-time codes not used yet, and of the live session cookies: never the values. */
    private final Set<String> codes = ConcurrentHashMap.newKeySet();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();

    public ConsoleGuard(String token, IntSupplier port) {
        this.token = token;
        this.port = port;
    }

    /** A fresh random token for one run of the console. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    String token() {
        return token;
    }

    /** A new one-time URL of the console: the first request for it opens a session, no later one does. */
    public String oneTimeUrl() {
        String code = newToken();
        codes.add(digest(code));
        return "http://127.0.0.1:" + port.getAsInt() + LOGIN_PATH + "?code=" + code;
    }

    /**
     * Answers the request itself unless it may go on to the console: the one-time URL (a session cookie and
     * a redirect to the clean URL, or the login page once it was used), and anything without a live
     * session (the login page, 401; JSON for the API). True: a session's request, for the other checks.
     */
    boolean admit(HttpExchange exchange) throws IOException {
        Optional<String> host = refusePage(exchange.getRequestHeaders());
        if (host.isPresent()) {
            ConsoleHttp.sendJson(exchange, 403, ConsoleHttp.message(host.get()));
            return false;
        }
        String path = exchange.getRequestURI().getRawPath();
        if (!path.equals("/") && !path.startsWith("/console") && !path.equals(LOGIN_PATH)) {
            return true; // no console path: the server's own 404, as the gateway answers an unknown route
        }
        if (path.equals(LOGIN_PATH)) {
            String code = ConsoleHttp.query(exchange.getRequestURI().getRawQuery()).get("code");
            if (exchange.getRequestMethod().equals("GET") && code != null && codes.remove(digest(code))) {
                String session = newToken();
                sessions.add(digest(session));
                var h = exchange.getResponseHeaders();
                h.set("Set-Cookie", cookieName() + "=" + session + "; Path=/; HttpOnly; SameSite=Strict");
                h.set("Location", "/");
                ConsoleHttp.send(exchange, 303, "text/plain; charset=utf-8", new byte[0]);
                return false;
            }
        } else if (hasSession(exchange.getRequestHeaders())) {
            return true;
        }
        if (path.startsWith("/console/api/")) {
            ConsoleHttp.sendJson(exchange, 401, ConsoleHttp.message("no console session: open the one-time URL "
                    + "the command printed"));
        } else {
            ConsoleHttp.send(exchange, 401, "text/html; charset=utf-8", LOGIN_PAGE.getBytes(StandardCharsets.UTF_8));
        }
        return false;
    }

    private boolean hasSession(Headers headers) {
        String prefix = cookieName() + "=";
        for (String header : headers.getOrDefault("Cookie", java.util.List.of())) {
            for (String cookie : header.split(";")) {
                String c = cookie.trim();
                if (c.startsWith(prefix) && sessions.contains(digest(c.substring(prefix.length())))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Per port: cookies ignore ports, so two consoles on one machine keep their own. */
    private String cookieName() {
        return "inlet_console_" + port.getAsInt();
    }

    private static String digest(String secret) {
        return Digests.sha256Hex(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Why a request for the page or its files is refused, if it is. */
    Optional<String> refusePage(Headers headers) {
        String host = headers.getFirst("Host");
        if (host == null || !hosts().contains(host.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("unexpected Host header: the console answers only as 127.0.0.1 or localhost");
        }
        return Optional.empty();
    }

    /** Why an API call is refused, if it is. */
    Optional<String> refuseApi(String method, Headers headers) {
        Optional<String> page = refusePage(headers);
        if (page.isPresent()) {
            return page;
        }
        String origin = headers.getFirst("Origin");
        if (origin != null && !origins().contains(origin.toLowerCase(java.util.Locale.ROOT))) {
            return Optional.of("cross-origin request refused");
        }
        String site = headers.getFirst("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return Optional.of("cross-site request refused");
        }
        String sent = headers.getFirst(TOKEN_HEADER);
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of("missing or wrong console token: reload the console page");
        }
        if (!method.equals("GET")) {
            String type = headers.getFirst("Content-Type");
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
                return Optional.of("actions must send application/json");
            }
        }
        return Optional.empty();
    }

    private Set<String> hosts() {
        int p = port.getAsInt();
        return Set.of("127.0.0.1:" + p, "localhost:" + p);
    }

    private Set<String> origins() {
        int p = port.getAsInt();
        return Set.of("http://127.0.0.1:" + p, "http://localhost:" + p);
    }
}
