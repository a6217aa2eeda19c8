package dev.inlet.local.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.rheo.RheoProvider;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Rheo webhooks shaped as docs.rheo.se describes them, signed as Rheo signs them. */
public final class RheoSamples implements ProviderSamples {
    @Override
    public String provider() {
        return "rheo";
    }

    @Override
    public List<String> eventTypes() {
        return List.of("item.created", "item.images_ready", "listing.created", "item.sold", "listing.ended",
                "listing.failed");
    }

    @Override
    public RheoProvider provider(Env env) {
        return RheoProvider.from(env);
    }

    @Override
    public SampleRequest build(String eventType, Env env, Instant now, String id, int bodyBytes) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("eventId", "evt_" + id);
        body.put("timestamp", now.toString());
        body.put("eventType", eventType);
        ObjectNode data = body.putObject("data");
        data.put("externalId", "SKU-" + id);
        data.put("rheoItemId", "3fa85f64-5717-4562-b3fc-2c963f66afa6");
        data.put("platform", eventType.startsWith("item.created") || eventType.startsWith("item.images")
                ? "rheo" : "tradera");
        data.put("salePrice", eventType.equals("item.sold") ? 1250 : 0);
        data.put("currency", "SEK");
        if (eventType.startsWith("listing.") || eventType.equals("item.sold")) {
            data.put("traderaAdId", 612345678);
            data.put("traderaAdUrl", "https://www.tradera.com/item/341234/612345678/fender-stratocaster-1998");
        }
        if (eventType.equals("listing.failed")) {
            data.put("error", "Tradera rejected the listing: a category is required");
        } else {
            data.putNull("error");
        }
        ObjectNode account = data.putObject("account");
        account.put("id", "acc_7f3c2a");
        account.put("name", "Vintage Gear AB");
        byte[] bytes = ProviderSamples.padded(body, bodyBytes).toString().getBytes(StandardCharsets.UTF_8);
        RheoProvider rheo = provider(env);
        if (rheo.secretCount() == 0) {
            throw new IllegalStateException("RHEO_WEBHOOK_SECRETS is empty: nothing to sign the sample with");
        }
        return SampleRequest.at("/webhooks/rheo", Map.of(
                "content-type", "application/json",
                "user-agent", "Rheo-Webhooks/1.0",
                RheoProvider.SIGNATURE_HEADER, rheo.sign(0, bytes)), bytes);
    }
}
