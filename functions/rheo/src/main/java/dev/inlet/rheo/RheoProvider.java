package dev.inlet.rheo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.JsonBody;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.signature.HeaderMac;
import dev.inlet.core.signature.HmacKeys;
import java.time.Duration;
import java.time.Instant;
import dev.inlet.core.ingest.Rfc3339;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Rheo (docs.rheo.se): {@code X-Rheo-Signature: sha256=<hex>}, HMAC-SHA256 over the raw body, keyed
 * with the whole {@code whsec_...} string as UTF-8. Dedup on {@code eventId}; {@code timestamp} is
 * RFC 3339 and must fall inside the window (15 minutes by default).
 *
 * <p>Settings: {@code RHEO_WEBHOOK_SECRETS} (comma-separated, several for rotation or several
 * endpoints; none configured rejects everything) and {@code RHEO_TIMESTAMP_TOLERANCE_SECONDS}.
 */
public final class RheoProvider implements WebhookProvider {
    public static final String NAME = "rheo";
    public static final String SIGNATURE_HEADER = "x-rheo-signature";
    private static final String PREFIX = "sha256=";
    private static final int HMAC_HEX_LENGTH = 64;

    private final HmacKeys keys;
    private final Duration tolerance;

    public RheoProvider(List<String> secrets, Duration tolerance) {
        this.keys = HmacKeys.utf8(secrets);
        this.tolerance = tolerance;
    }

    public static RheoProvider from(Env env) {
        return new RheoProvider(env.list("RHEO_WEBHOOK_SECRETS"),
                env.seconds("RHEO_TIMESTAMP_TOLERANCE_SECONDS", Duration.ofMinutes(15)));
    }

    public int secretCount() {
        return keys.size();
    }

    /** The header value Rheo would send for this body, signed with secret {@code index}. */
    public String sign(int index, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(keys.sign(index, body));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verification verify(RawRequest request) {
        return HeaderMac.verify(keys, request, SIGNATURE_HEADER, RheoProvider::decode,
                Optional.of(request.body()), "secret");
    }

    /** {@code sha256=} (required) followed by 64 hex characters. */
    private static Optional<HeaderMac.Decoded> decode(String value) {
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                || value.length() != PREFIX.length() + HMAC_HEX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(new HeaderMac.Decoded(HexFormat.of().parseHex(value.substring(PREFIX.length())), ""));
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException {
        JsonNode body = JsonBody.object(request);
        String eventId = text(body, "eventId");
        String eventType = text(body, "eventType");
        if (eventId == null) {
            throw new UnreadableBodyException("eventId is missing or not a string");
        }
        if (eventType == null) {
            throw new UnreadableBodyException("eventType is missing or not a string");
        }
        return new Envelope(eventId, eventType, timestamp(body));
    }

    private static Optional<Instant> timestamp(JsonNode body) throws TimestampException {
        JsonNode ts = body.get("timestamp");
        if (ts == null || ts.isNull()) {
            return Optional.empty();
        }
        if (!ts.isTextual() || ts.asText().length() > 40) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MALFORMED);
        }
        try {
            return Optional.of(Rfc3339.parse(ts.asText()));
        } catch (DateTimeParseException e) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MALFORMED);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() && v.asText().length() <= 256 ? v.asText() : null;
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
