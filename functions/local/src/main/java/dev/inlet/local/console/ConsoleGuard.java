package dev.inlet.local.console;

import com.sun.net.httpserver.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Who may use the console. It listens on 127.0.0.1 only; on top of that:
 * <ul>
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

    private final String token;
    private final IntSupplier port;

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
