package dev.inlet.processor.state;

import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.ReverbListing;
import java.util.List;

/** listings/* : the listing's state slug (live, sold_out, ended...), inventory, price, sku, title. */
public final class ReverbListingHandler extends EntityHandler {
    public ReverbListingHandler(EntityWriter writer) {
        super(writer, "id");
    }

    @Override
    List<Write> writes(ReceivedEvent event) throws Exception {
        ReverbListing l = ReverbListing.from(event.json());
        if (l.id().isEmpty()) {
            return List.of();
        }
        return List.of(new Write("listing", l.id().get(), l.state().orElse("unknown"), new Fields()
                .put("inventory", l.inventory()).put("price", l.priceAmount()).put("currency", l.priceCurrency())
                .put("sku", l.sku()).put("title", l.title()).map()));
    }
}
