package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * A Reusely offer ({@code object_id} and {@code data}). The signature does not cover {@code data}:
 * re-read the offer from Reusely's API before acting on money or status.
 */
public record ReuselyOffer(Optional<String> objectId, Optional<String> boxId, Optional<String> status,
                           Optional<String> statusId, Optional<String> payoutAmount, Optional<String> payoutCurrency,
                           Optional<String> trackingNumber) {
    public static ReuselyOffer from(JsonNode body) {
        JsonNode d = body.path("data");
        return new ReuselyOffer(Lenient.text(body, "object_id"), Lenient.text(d, "box_id"), Lenient.text(d, "status"),
                Lenient.text(d, "status_id"), Lenient.text(d, "payout_amount"),
                Lenient.text(d, "payout_currency_symbol"), Lenient.text(d, "tracking_number"));
    }
}
