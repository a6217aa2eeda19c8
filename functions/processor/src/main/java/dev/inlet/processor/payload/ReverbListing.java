package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A Reverb listing as its API renders it (the body of listings/* webhooks). */
public record ReverbListing(Optional<String> id, Optional<String> state, Optional<String> inventory,
                            Optional<String> priceAmount, Optional<String> priceCurrency, Optional<String> sku,
                            Optional<String> title) {
    public static ReverbListing from(JsonNode body) {
        return new ReverbListing(Lenient.text(body, "id"), Lenient.path(body, "state", "slug"),
                Lenient.text(body, "inventory"), Lenient.path(body, "price", "amount"),
                Lenient.path(body, "price", "currency"), Lenient.text(body, "sku"), Lenient.text(body, "title"));
    }
}
