package dev.inlet.reverb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.JsonBody;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.signature.Tokens;
import java.time.Duration;
import java.time.Instant;
import dev.inlet.core.ingest.Rfc3339;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reverb: no signature (Reverb promises an HMAC header "eventually"). Authenticity is a hard-to-guess
 * token at the end of the URL path, compared in constant time against {@code REVERB_PATH_TOKENS}
 * (several at once, for rotation). Any failure (size and header limits and bad encoding included)
 * answers exactly like an unknown route (404), so the route is never confirmed; the token
 * never reaches a log line, an error or the record. The body does not name its topic: the URL does.
 *
 * <p>Dedup key: {@code topic|objectId|sha256(body)} (object id = {@code order_number} for orders and
 * payments, listing {@code id} for listings); Reverb sends no timestamp, so there is no replay window.
 */
public final class ReverbProvider implements WebhookProvider {
    public static final String NAME = "reverb";
    public static final String TOPIC_PARAMETER = "topic";
    public static final String TOKEN_PARAMETER = "token";

    private final Tokens tokens;

    public ReverbProvider(List<String> pathTokens) {
        this.tokens = Tokens.of(pathTokens);
    }

    public static ReverbProvider from(Env env) {
        return new ReverbProvider(env.list("REVERB_PATH_TOKENS"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verification verify(RawRequest request) {
        String slug = request.pathParameter(TOPIC_PARAMETER);
        if (slug == null || ReverbTopics.fromSlug(slug).isEmpty()) {
            return Verification.rejected(RejectionReason.UNKNOWN_ROUTE);
        }
        if (tokens.isEmpty()) {
            return Verification.rejected(RejectionReason.NO_SECRETS_CONFIGURED);
        }
        OptionalInt match = tokens.match(request.pathParameter(TOKEN_PARAMETER));
        return match.isPresent()
                ? Verification.verified("token#" + (match.getAsInt() + 1))
                : Verification.rejected(RejectionReason.BAD_TOKEN);
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException {
        String topic = ReverbTopics.fromSlug(request.pathParameter(TOPIC_PARAMETER)).orElseThrow();
        JsonNode body = JsonBody.object(request);
        String objectId = objectId(topic, body).orElse("-");
        return new Envelope(topic + "|" + objectId + "|" + Digests.sha256Hex(request.body()), topic,
                updatedAt(body));
    }

    /** The object the topic is about; absent for bodies that carry none (app/uninstalled). */
    static Optional<String> objectId(String topic, JsonNode body) {
        String field = topic.startsWith("orders/") || topic.startsWith("payments/") ? "order_number" : "id";
        JsonNode id = body.get(field);
        if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()
                || id.asText().length() > 128) {
            return Optional.empty();
        }
        return Optional.of(id.asText());
    }

    /** The object's own {@code updated_at}, when it has one: business logic uses it to order events. */
    private static Optional<Instant> updatedAt(JsonNode body) {
        JsonNode v = body.get("updated_at");
        if (v == null || !v.isTextual() || v.asText().length() > 40) {
            return Optional.empty();
        }
        try {
            return Optional.of(Rfc3339.parse(v.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<Duration> timestampTolerance() {
        return Optional.empty();
    }

    /** Every failure answers like an unknown route: the path token is the secret, so no answer may confirm it. */
    @Override
    public boolean hidesRoute() {
        return true;
    }

    @Override
    public List<String> knownHeaders() {
        return List.of("x-request-id");
    }
}
