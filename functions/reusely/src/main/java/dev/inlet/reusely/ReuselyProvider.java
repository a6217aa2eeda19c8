package dev.inlet.reusely;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reusely: {@code Authorization: <sig>}, HMAC-SHA256 with the secret over {@code object_id} and
 * {@code timestamp} concatenated as they stand in the raw JSON. The encoding is a setting
 * ({@link SignatureScheme}); hex is compared case-insensitively; an optional {@code sha256=} or
 * {@code Bearer } prefix is stripped.
 *
 * <p>The signature does NOT cover the rest of the body: a captured request could be replayed with
 * other {@code type} or {@code data}. Mitigations: the signed fields must be written canonically; the
 * signed timestamp's window (2 h by default; Reusely retries at +10 and +30 min) is checked before the
 * rest of the body is read and before anything is stored, quarantine included; dedup, and the key of a
 * quarantined body, use the signed {@code object_id|timestamp} only, so one signature stores at most one
 * record (the first body wins; another body under it is counted as {@code duplicate_conflict}); and
 * business logic re-reads the offer from Reusely's API before acting on money or status.
 */
public final class ReuselyProvider implements WebhookProvider {
    public static final String NAME = "reusely";
    public static final String SIGNATURE_HEADER = "authorization";

    private final HmacKeys keys;
    private final SignatureScheme scheme;
    private final Duration tolerance;

    public ReuselyProvider(List<String> secrets, SignatureScheme scheme, Duration tolerance) {
        this.keys = HmacKeys.utf8(secrets);
        this.scheme = scheme;
        this.tolerance = tolerance;
    }

    public static ReuselyProvider from(Env env) {
        return new ReuselyProvider(env.list("REUSELY_WEBHOOK_SECRETS"), SignatureScheme.from(env),
                env.seconds("REUSELY_TIMESTAMP_TOLERANCE_SECONDS", Duration.ofHours(2)));
    }

    public int secretCount() {
        return keys.size();
    }

    /** The {@code Authorization} value Reusely would send for this body, with secret {@code index}. */
    public String sign(int index, byte[] body) {
        SignedFields fields = SignedFields.of(body).orElseThrow(() ->
                new IllegalArgumentException("body lacks object_id or timestamp"));
        return scheme.encode(keys.sign(index, fields.message().getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Verification verify(RawRequest request) {
        Optional<SignedFields> fields = SignedFields.of(request.body());
        Optional<RejectionReason> nonCanonical = fields.flatMap(SignedFields::nonCanonical);
        if (nonCanonical.isPresent()) {
            return Verification.rejected(nonCanonical.get());
        }
        return HeaderMac.verify(keys, request, SIGNATURE_HEADER, this::decode,
                fields.map(f -> f.message().getBytes(StandardCharsets.UTF_8)), "secret");
    }

    /** An optional {@code Bearer } or {@code sha256=} prefix, then the MAC in the configured scheme. */
    private Optional<HeaderMac.Decoded> decode(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (String prefix : List.of("bearer ", "sha256=")) {
            if (lower.startsWith(prefix)) {
                return Optional.of(new HeaderMac.Decoded(scheme.decode(value.substring(prefix.length()).trim()),
                        scheme.setting() + ",prefix=" + prefix.trim() + ","));
            }
        }
        return Optional.of(new HeaderMac.Decoded(scheme.decode(value), scheme.setting() + ","));
    }

    @Override
    public Optional<Instant> signedTime(RawRequest request) throws TimestampException {
        return Optional.of(signedFields(request).sentAt());
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException {
        SignedFields fields = signedFields(request);
        JsonNode body = JsonBody.object(request);
        JsonNode type = body.get("type");
        if (type == null || !type.isTextual() || type.asText().isBlank() || type.asText().length() > 128) {
            throw new UnreadableBodyException("type is missing or not a string");
        }
        return new Envelope(fields.dedupKey(), type.asText(), Optional.of(fields.sentAt()));
    }

    @Override
    public String quarantineKey(RawRequest request) {
        return SignedFields.of(request.body()).map(SignedFields::dedupKey)
                .orElseGet(() -> WebhookProvider.super.quarantineKey(request));
    }

    /** The verified request's signed fields; a body that lacks them, or spells them otherwise, never verifies. */
    private static SignedFields signedFields(RawRequest request) throws TimestampException {
        Optional<SignedFields> fields = SignedFields.of(request.body());
        if (fields.isEmpty()) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MISSING);
        }
        if (fields.get().nonCanonical().isPresent()) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MALFORMED);
        }
        return fields.get();
    }

    @Override
    public Optional<Duration> timestampTolerance() {
        return Optional.of(tolerance);
    }
}
