package dev.inlet.processor.state;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.ReverbOrder;
import java.util.Set;

/**
 * orders/* and payments/* (both carry the order object): the order's status, total, buyer, sku and
 * quantity, kept as entity type {@code order} or {@code payment}. A refunded or cancelled order is notable.
 */
public final class ReverbOrderHandler implements EventHandler {
    private static final Set<String> NOTABLE = Set.of("refunded", "cancelled");
    private final EntityWriter writer;
    private final String entityType;

    public ReverbOrderHandler(EntityWriter writer, String entityType) {
        this.writer = writer;
        this.entityType = entityType;
    }

    @Override
    public void handle(ReceivedEvent event) throws Exception {
        ReverbOrder o = ReverbOrder.from(event.json());
        if (o.orderNumber().isEmpty()) {
            writer.noEntity(event, "order_number");
            return;
        }
        String status = o.status().orElse("unknown");
        if (entityType.equals("order") && NOTABLE.contains(status)) {
            writer.notable(event, "order_" + status);
        }
        writer.write(event, entityType, o.orderNumber().get(), status, new Fields()
                .put("total", o.totalAmount()).put("currency", o.totalCurrency()).put("buyerId", o.buyerId())
                .put("sku", o.sku()).put("quantity", o.quantity()).map());
    }
}
