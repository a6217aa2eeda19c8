package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** Rheo's {@code data}: the item and, for listing events, its Tradera ad. */
public record RheoItem(Optional<String> externalId, Optional<String> rheoItemId, Optional<String> platform,
                       Optional<String> salePrice, Optional<String> currency, Optional<String> traderaAdId,
                       Optional<String> traderaAdUrl, Optional<String> error) {
    public static RheoItem from(JsonNode body) {
        JsonNode d = body.path("data");
        return new RheoItem(Lenient.text(d, "externalId"), Lenient.text(d, "rheoItemId"), Lenient.text(d, "platform"),
                Lenient.text(d, "salePrice"), Lenient.text(d, "currency"), Lenient.text(d, "traderaAdId"),
                Lenient.text(d, "traderaAdUrl"), Lenient.text(d, "error"));
    }

    /** The seller's own id when present (stable across Rheo items), else Rheo's. */
    public Optional<String> id() {
        return externalId.or(() -> rheoItemId);
    }
}
