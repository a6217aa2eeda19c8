package dev.inlet.processor.state;

import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.ReverbOrder;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * orders/* and payments/* (both carry the order object): the order's status, total, buyer, sku and
 * quantity, kept as entity type {@code order} or {@code payment}. A refunded or cancelled order is notable.
 */
public final class ReverbOrderHandler extends EntityHandler {
    private static final Set<String> NOTABLE = Set.of("refunded", "cancelled");
    private final String entityType;

    public ReverbOrderHandler(EntityWriter writer, String entityType) {
        super(writer, "order_number");
        this.entityType = entityType;
    }

    @Override
    List<Write> writes(ReceivedEvent event) throws Exception {
        ReverbOrder o = ReverbOrder.from(event.json());
        if (o.orderNumber().isEmpty()) {
            return List.of();
        }
        return List.of(new Write(entityType, o.orderNumber().get(), o.status().orElse("unknown"), new Fields()
                .put("total", o.totalAmount()).put("currency", o.totalCurrency()).put("buyerId", o.buyerId())
                .put("sku", o.sku()).put("quantity", o.quantity()).map()));
    }

    @Override
    Optional<String> notable(Write write) {
        return write.type().equals("order") && NOTABLE.contains(write.state()) ? Optional.of("order_" + write.state())
                : Optional.empty();
    }
}
