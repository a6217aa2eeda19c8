package dev.inlet.local.samples;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.inlet.core.config.Env;
import dev.inlet.core.json.Json;
import dev.inlet.reverb.ReverbProvider;
import dev.inlet.reverb.ReverbTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Reverb webhooks: the bare object as Reverb's API renders it (a listing, or an order for orders and
 * payments), no topic in the body, no signature: the topic and the token are in the URL. The
 * app/uninstalled body is not documented publicly; this one is illustrative.
 */
public final class ReverbSamples implements ProviderSamples {
    @Override
    public String provider() {
        return ReverbProvider.NAME;
    }

    @Override
    public List<String> eventTypes() {
        return ReverbTopics.ALL;
    }

    @Override
    public ReverbProvider provider(Env env) {
        return ReverbProvider.from(env);
    }

    @Override
    public SampleRequest build(String topic, Env env, Instant now, String id, int bodyBytes) {
        List<String> tokens = env.list("REVERB_PATH_TOKENS");
        if (tokens.isEmpty()) {
            throw new IllegalStateException("REVERB_PATH_TOKENS is empty: no token to put in the sample's URL");
        }
        long number = 1_000_000 + Math.floorMod(id.hashCode(), 9_000_000);
        ObjectNode body;
        if (topic.startsWith("listings/")) {
            body = listing(number, topic, now);
        } else if (topic.startsWith("orders/") || topic.startsWith("payments/")) {
            body = order(number, topic, now);
        } else {
            body = Json.mapper().createObjectNode();
            body.put("app_id", "inlet-" + id);
            body.put("shop_id", number);
            body.put("uninstalled_at", now.atOffset(ZoneOffset.UTC).toString());
        }
        String slug = ReverbTopics.slug(topic);
        return new SampleRequest("/webhooks/reverb/" + slug + "/" + tokens.get(0),
                "/webhooks/reverb/{topic}/{token}", Map.of("topic", slug, "token", tokens.get(0)),
                Map.of("content-type", "application/json", "user-agent", "Reverb-Webhooks"),
                ProviderSamples.padded(body, bodyBytes).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Reverb signs nothing: the token in the path is what a forger gets wrong. */
    @Override
    public SampleRequest tampered(SampleRequest r) {
        String token = r.pathParameters().get("token");
        String forged = token.substring(0, token.length() - 1) + (token.endsWith("x") ? "y" : "x");
        return new SampleRequest(r.path().replace(token, forged), r.route(),
                Map.of("topic", r.pathParameters().get("topic"), "token", forged), r.headers(), r.body());
    }

    private static ObjectNode listing(long id, String topic, Instant now) {
        ObjectNode l = Json.mapper().createObjectNode();
        l.put("id", id);
        l.put("make", "Fender");
        l.put("model", "Stratocaster");
        l.put("title", "Fender American Standard Stratocaster 1998 Sunburst");
        l.put("sku", "SKU-1001");
        boolean soldOut = topic.equals("listings/update");
        l.put("inventory", soldOut ? 0 : 1);
        l.put("has_inventory", !soldOut);
        ObjectNode price = l.putObject("price");
        price.put("amount", "1250.00");
        price.put("amount_cents", 125000);
        price.put("currency", "USD");
        price.put("symbol", "$");
        price.put("display", "$1,250");
        ObjectNode state = l.putObject("state");
        state.put("slug", soldOut ? "sold_out" : "live");
        state.put("description", soldOut ? "Sold Out" : "Live");
        l.put("created_at", now.minusSeconds(86_400).atOffset(ZoneOffset.ofHours(-6)).toString());
        l.put("updated_at", now.atOffset(ZoneOffset.ofHours(-6)).toString());
        l.putObject("_links").putObject("self").put("href", "https://api.reverb.com/api/listings/" + id);
        return l;
    }

    private static ObjectNode order(long number, String topic, Instant now) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("order_number", Long.toString(number));
        o.put("status", topic.equals("orders/create") ? "unpaid" : topic.startsWith("payments/") ? "paid" : "shipped");
        money(o.putObject("total"), "1345.00", 134500);
        money(o.putObject("shipping"), "95.00", 9500);
        money(o.putObject("amount_product"), "1250.00", 125000);
        o.put("created_at", now.minusSeconds(3_600).atOffset(ZoneOffset.ofHours(-6)).toString());
        o.put("buyer_id", 4242424);
        o.put("sku", "SKU-1001");
        o.put("quantity", 1);
        ObjectNode address = o.putObject("shipping_address");
        address.put("name", "Jane Doe");
        address.put("street_address", "1 Test Street");
        address.put("locality", "Chicago");
        address.put("region", "IL");
        address.put("postal_code", "60601");
        address.put("country_code", "US");
        o.putObject("_links").putObject("self").put("href", "https://api.reverb.com/api/my/orders/selling/" + number);
        return o;
    }

    private static void money(ObjectNode m, String amount, int cents) {
        m.put("amount", amount);
        m.put("amount_cents", cents);
        m.put("currency", "USD");
    }
}
