package dev.inlet.processor.state;

import dev.inlet.core.processing.ReceivedEvent;
import dev.inlet.processor.payload.ReuselyOffer;
import java.util.List;

/**
 * offer.created, offer.status.updated: the offer's status, payout and tracking number. Reusely does not
 * sign {@code data}: treat these values as a hint, and re-read the offer before paying out.
 */
public final class ReuselyOfferHandler extends EntityHandler {
    public ReuselyOfferHandler(EntityWriter writer) {
        super(writer, "object_id");
    }

    @Override
    List<Write> writes(ReceivedEvent event) throws Exception {
        ReuselyOffer o = ReuselyOffer.from(event.json());
        if (o.objectId().isEmpty()) {
            return List.of();
        }
        return List.of(new Write("offer", o.objectId().get(), o.status().or(o::statusId).orElse("unknown"), new Fields()
                .put("boxId", o.boxId()).put("statusId", o.statusId()).put("payoutAmount", o.payoutAmount())
                .put("payoutCurrency", o.payoutCurrency()).put("trackingNumber", o.trackingNumber()).map()));
    }
}
