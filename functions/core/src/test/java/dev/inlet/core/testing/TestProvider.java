package dev.inlet.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.TimestampException;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.ingest.Verification;
import dev.inlet.core.ingest.WebhookProvider;
import dev.inlet.core.json.Json;
import dev.inlet.core.signature.HmacKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A minimal provider for core tests: {@code x-test-signature} = hex HMAC-SHA256 of the body; body
 * {@code {"id","type","ts"}} with {@code ts} in epoch seconds; a 5-minute window.
 */
public final class TestProvider implements WebhookProvider {
    public static final String SECRET = "test-secret-not-real";
    private final HmacKeys keys;

    public TestProvider(List<String> secrets) {
        this.keys = HmacKeys.of(secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    public TestProvider() {
        this(List.of(SECRET));
    }

    public static byte[] body(String id, String type, Instant ts) {
        return ("{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"ts\":" + ts.getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public static String sign(byte[] body) {
        return HexFormat.of().formatHex(HmacKeys.hmacSha256(SECRET.getBytes(StandardCharsets.UTF_8), body));
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public Verification verify(RawRequest request) {
        if (keys.isEmpty()) {
            return Verification.rejected(RejectionReason.NO_SECRETS_CONFIGURED);
        }
        Optional<String> sig = request.headers().get("x-test-signature");
        if (sig.isEmpty()) {
            return Verification.rejected(RejectionReason.MISSING_SIGNATURE);
        }
        try {
            return keys.match(request.body(), HexFormat.of().parseHex(sig.get())).isPresent()
                    ? Verification.verified("secret#1") : Verification.rejected(RejectionReason.BAD_SIGNATURE);
        } catch (IllegalArgumentException e) {
            return Verification.rejected(RejectionReason.MALFORMED_SIGNATURE);
        }
    }

    @Override
    public Envelope read(RawRequest request) throws UnreadableBodyException, TimestampException {
        JsonNode n;
        try {
            n = Json.parse(request.body());
        } catch (IOException e) {
            throw new UnreadableBodyException("not JSON");
        }
        if (!n.path("id").isTextual() || !n.path("type").isTextual()) {
            throw new UnreadableBodyException("id or type missing");
        }
        if (!n.path("ts").isIntegralNumber()) {
            throw new TimestampException(RejectionReason.TIMESTAMP_MALFORMED);
        }
        return new Envelope(n.get("id").asText(), n.get("type").asText(),
                Optional.of(Instant.ofEpochSecond(n.get("ts").asLong())));
    }

    @Override
    public Optional<Duration> timestampTolerance() {
        return Optional.of(Duration.ofMinutes(5));
    }
}
