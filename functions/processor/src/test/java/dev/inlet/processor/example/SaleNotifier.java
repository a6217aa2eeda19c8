package dev.inlet.processor.example;

import dev.inlet.core.processing.EventHandler;
import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.RheoItem;

/** The README's example: tell the warehouse when Rheo reports an item sold. */
public final class SaleNotifier implements EventHandler {
    /** Whatever your system uses: an HTTP client, an SNS topic, another table... */
    public interface Warehouse {
        void ship(String sku, String salePrice);
    }

    private final Warehouse warehouse;

    public SaleNotifier(Warehouse warehouse) {
        this.warehouse = warehouse;
    }

    @Override
    public void handle(ReceivedEvent event) throws Exception {
        RheoItem item = RheoItem.from(event.json());
        if (item.externalId().isPresent()) {
            warehouse.ship(item.externalId().get(), item.salePrice().orElse("?"));
        }
    }
}
