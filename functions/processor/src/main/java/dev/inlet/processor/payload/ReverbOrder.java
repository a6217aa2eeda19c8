package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** A Reverb order (the body of orders/* and payments/* webhooks). */
public record ReverbOrder(Optional<String> orderNumber, Optional<String> status, Optional<String> totalAmount,
                          Optional<String> totalCurrency, Optional<String> buyerId, Optional<String> sku,
                          Optional<String> quantity) {
    public static ReverbOrder from(JsonNode body) {
        return new ReverbOrder(Lenient.text(body, "order_number"), Lenient.text(body, "status"),
                Lenient.path(body, "total", "amount"), Lenient.path(body, "total", "currency"),
                Lenient.text(body, "buyer_id"), Lenient.text(body, "sku"), Lenient.text(body, "quantity"));
    }
}
