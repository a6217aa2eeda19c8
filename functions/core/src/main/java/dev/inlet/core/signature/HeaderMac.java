package dev.inlet.core.signature;

import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.RejectionReason;
import dev.inlet.core.ingest.Verification;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The check every HMAC-in-a-header provider shares, in this order: no key configured (fail closed), no
 * header, a header that does not decode to a MAC, no signed message, then a constant-time match against
 * every key. Only the header's decoding and the signed message differ per provider.
 */
public final class HeaderMac {
    /** Turns a header value into MAC bytes; empty when it is malformed for this provider. */
    @FunctionalInterface
    public interface Decoder {
        Optional<Decoded> decode(String headerValue);
    }

    /** The MAC, and a note on how it was written (e.g. a prefix that was stripped) for the log. */
    public record Decoded(byte[] mac, String note) {}

    private HeaderMac() {
    }

    /**
     * @param message the signed bytes; empty when the body lacks what the provider signs
     * @param keyLabel how the matched key is named in the log: "secret#2", "key#1"
     */
    public static Verification verify(HmacKeys keys, RawRequest request, String header, Decoder decoder,
                                      Optional<byte[]> message, String keyLabel) {
        if (keys.isEmpty()) {
            return Verification.rejected(RejectionReason.NO_SECRETS_CONFIGURED);
        }
        Optional<String> value = request.headers().get(header);
        if (value.isEmpty() || value.get().trim().isEmpty()) {
            return Verification.rejected(RejectionReason.MISSING_SIGNATURE);
        }
        Optional<Decoded> decoded;
        try {
            decoded = decoder.decode(value.get().trim());
        } catch (IllegalArgumentException e) {
            decoded = Optional.empty();
        }
        if (decoded.isEmpty() || decoded.get().mac().length != 32) {
            return Verification.rejected(RejectionReason.MALFORMED_SIGNATURE);
        }
        if (message.isEmpty()) {
            return Verification.rejected(RejectionReason.UNVERIFIABLE_BODY);
        }
        OptionalInt match = keys.match(message.get(), decoded.get().mac());
        return match.isPresent()
                ? Verification.verified(decoded.get().note() + keyLabel + "#" + (match.getAsInt() + 1))
                : Verification.rejected(RejectionReason.BAD_SIGNATURE);
    }
}
