package dev.inlet.reverb.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.json.Json;
import dev.inlet.core.reconcile.FeedException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * GETs from Reverb's API (HAL JSON, {@code Accept-Version: 3.0}, a bearer token) with the JDK's HTTP
 * client: no HTTP library in the Lambda jar. A 429 waits what {@code Retry-After} says (seconds or an
 * HTTP date) and tries again, up to {@link #MAX_RETRIES} times and never longer than the wait limit per
 * try; a 401/403 stops at once with a message naming the token's setting. No message ever holds the
 * token.
 */
public final class ReverbApi {
    public static final String PRODUCTION = "https://api.reverb.com/api";
    public static final String SANDBOX = "https://sandbox.reverb.com/api";
    static final int MAX_RETRIES = 5;
    /** Without a usable Retry-After, a 429 or 5xx waits this, doubling per try. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(2);

    /** How the client waits before a retry (tests pass one that records instead of sleeping). */
    @FunctionalInterface
    public interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final URI base;
    private final Supplier<String> token;
    private final String tokenSetting;
    private final HttpClient http;
    private final Pause pause;
    private final Duration maxWait;

    /**
     * @param token read when a request is made (a Secrets Manager read, deployed), never at construction
     * @param tokenSetting what names the token in an error: {@code REVERB_API_TOKEN}, or the ARN variable
     * @param maxWait the longest a 429's Retry-After may ask for: longer fails the run (the next one retries)
     */
    public ReverbApi(URI base, Supplier<String> token, String tokenSetting, HttpClient http, Pause pause,
                     Duration maxWait) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.token = token;
        this.tokenSetting = tokenSetting;
        this.http = http;
        this.pause = pause;
        this.maxWait = maxWait;
    }

    public URI base() {
        return base;
    }

    /** {@code base + path}: the one URL built by hand, the listing's first page; later pages follow links. */
    URI resolve(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    /** A link from an answer, resolved against the API base; only the API's own host gets the token. */
    URI follow(String href) {
        URI uri = base.resolve(href);
        if (!uri.getScheme().equals(base.getScheme()) || !uri.getHost().equalsIgnoreCase(base.getHost())
                || uri.getPort() != base.getPort()) {
            throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb's next-page link points at another "
                    + "host (" + uri.getHost() + "): not followed, so the API token goes nowhere else");
        }
        return uri;
    }

    JsonNode get(URI uri) {
        Duration wait = DEFAULT_WAIT;
        for (int attempt = 0; ; attempt++) {
            HttpResponse<String> response = send(uri);
            int status = response.statusCode();
            if (status == 401 || status == 403) {
                throw new FeedException(FeedException.Reason.REFUSED, "Reverb refused the API token (HTTP " + status
                        + "): check " + tokenSetting + " (a personal token with the read_orders scope)");
            }
            boolean retryable = status == 429 || status >= 500;
            if (retryable && attempt < MAX_RETRIES) {
                Duration asked = status == 429 ? retryAfter(response).orElse(wait) : wait;
                if (asked.compareTo(maxWait) > 0) {
                    throw new FeedException(FeedException.Reason.RATE_LIMITED, "Reverb asks to wait " + asked.toSeconds()
                            + " s (HTTP 429 Retry-After), longer than " + maxWait.toSeconds() + " s: stopped; the "
                            + "cursor did not move, the next run reads this window again");
                }
                sleep(asked);
                wait = wait.multipliedBy(2);
                continue;
            }
            if (status == 429) {
                throw new FeedException(FeedException.Reason.RATE_LIMITED, "Reverb still answers HTTP 429 after "
                        + MAX_RETRIES + " waits: stopped; the next run reads this window again");
            }
            if (status >= 300) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb answered HTTP " + status + " for GET "
                        + uri.getPath() + (status >= 500 ? " (after " + MAX_RETRIES + " tries)" : ""));
            }
            try {
                JsonNode body = Json.mapper().readTree(response.body());
                if (body == null || !body.isObject()) {
                    throw new IOException("not an object");
                }
                return body;
            } catch (IOException e) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb answered GET " + uri.getPath()
                        + " with a body that is not a JSON object");
            }
        }
    }

    private HttpResponse<String> send(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", "Bearer " + token.get())
                .header("Accept", "application/hal+json")
                .header("Content-Type", "application/hal+json")
                .header("Accept-Version", "3.0")
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new FeedException(FeedException.Reason.UNAVAILABLE, "cannot reach Reverb at " + uri.getHost() + ": "
                    + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException(FeedException.Reason.UNAVAILABLE, "interrupted while calling Reverb");
        }
    }

    private void sleep(Duration d) {
        try {
            pause.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FeedException(FeedException.Reason.UNAVAILABLE, "interrupted while waiting for Reverb's rate limit");
        }
    }

    /** Retry-After as seconds, or as an HTTP date (then the wait from now, at least zero). */
    static Optional<Duration> retryAfter(HttpResponse<?> response) {
        Optional<String> v = response.headers().firstValue("retry-after").map(String::trim);
        if (v.isEmpty() || v.get().isEmpty()) {
            return Optional.empty();
        }
        try {
            long seconds = Long.parseLong(v.get());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
    }
}
