package dev.inlet.rechat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.JsonBody;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.signature.Digests;
import dev.inlet.core.signature.HeaderMac;
import dev.inlet.core.signature.HmacKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rechat brand webhooks (Deals, Showings, Contacts): {@code X-RECHAT-SIGNATURE}, lowercase hex
 * HMAC-SHA256 over the raw body, keyed with the webhook's 64-hex-char {@code key} DECODED from hex to
 * 32 bytes (keying with the hex text is the classic bug, and is rejected). One key per registered
 * webhook (brand x topic): {@code RECHAT_WEBHOOK_KEYS} is a list.
 *
 * <p>Retries resend the identical body, so the dedup key is the SHA-256 of the body. The {@code
 * timestamp} (ms) is fixed when the event fires and retries span about 20 minutes: the window is 60
 * minutes by default. Event type: {@code <topic>.<event>}, e.g. {@code Deals.Created}; early deliveries
 * had no {@code topic}/{@code event}: the topic is then inferred from the payload ({@code deal},
 * {@code showing}, {@code data}) and a missing event reads {@code unknown}.
 */
public final class RechatProvider implements WebhookProvider {
    public static final String NAME = "rechat";
    public static final String SIGNATURE_HEADER = "x-rechat-signature";
    private static final String KEY_PATTERN = "[0-9a-fA-F]{64}";

    private final HmacKeys keys;
    private final Duration tolerance;

    public RechatProvider(List<byte[]> keys, Duration tolerance) {
        this.keys = HmacKeys.of(keys);
        this.tolerance = tolerance;
    }

    public static RechatProvider from(Env env) {
        List<String> hexKeys = env.list("RECHAT_WEBHOOK_KEYS");
        for (String k : hexKeys) {
            if (!k.matches(KEY_PATTERN)) {
                throw new ConfigException("RECHAT_WEBHOOK_KEYS",
                        "each key must be the 64 hex characters Rechat returned when the webhook was created");
            }
        }
        return new RechatProvider(hexKeys.stream().map(k -> HexFormat.of().parseHex(k)).toList(),
                env.seconds("RECHAT_TIMESTAMP_TOLERANCE_SECONDS", Duration.ofMinutes(60)));
    }

    public int keyCount() {
        return keys.size();
    }

    /** The header value Rechat would send for this body, with key {@code index}. */
    public String sign(int index, byte[] body) {
        return HexFormat.of().formatHex(keys.sign(index, body));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verification verify(RawRequest request) {
        return HeaderMac.verify(keys, request, SIGNATURE_HEADER,
                v -> v.length() == 64 ? Optional.of(new HeaderMac.Decoded(HexFormat.of().parseHex(v), ""))
                        : Optional.empty(),
                Optional.of(request.body()), "key");
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException {
        JsonNode body = JsonBody.object(request);
        return new Envelope(Digests.sha256Hex(request.body()), eventType(body), timestamp(body));
    }

    static String eventType(JsonNode body) {
        String topic = text(body.get("topic")).orElseGet(() -> inferTopic(body.path("payload")));
        String event = text(body.get("event")).orElse("unknown");
        return topic + "." + event;
    }

    private static String inferTopic(JsonNode payload) {
        if (payload.has("deal")) {
            return "Deals";
        }
        if (payload.has("showing")) {
            return "Showings";
        }
        if (payload.path("data").isArray()) {
            return "Contacts";
        }
        return "unknown";
    }

    private static Optional<String> text(JsonNode v) {
        return v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= 64
                ? Optional.of(v.asText()) : Optional.empty();
    }

    private static Optional<Instant> timestamp(JsonNode body) throws TimestampException {
        JsonNode ts = body.get("timestamp");
        if (ts == null || ts.isNull()) {
            return Optional.empty();
        }
        if (!ts.isIntegralNumber() || !ts.canConvertToLong() || ts.asLong() < 0
                || ts.asLong() > 253_402_300_799_999L) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MALFORMED);
        }
        return Optional.of(Instant.ofEpochMilli(ts.asLong()));
    }

    @Override
    public Optional<Duration> timestampTolerance() {
        return Optional.of(tolerance);
    }

    @Override
    public List<String> knownHeaders() {
        return List.of(SIGNATURE_HEADER);
    }
}
