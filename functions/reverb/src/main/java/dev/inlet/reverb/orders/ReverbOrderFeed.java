package dev.inlet.reverb.orders;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.ingest.Envelope;
import dev.inlet.core.ingest.Headers;
import dev.inlet.core.ingest.RawRequest;
import dev.inlet.core.ingest.Rfc3339;
import dev.inlet.core.ingest.UnreadableBodyException;
import dev.inlet.core.json.Json;
import dev.inlet.core.reconcile.Change;
import dev.inlet.core.reconcile.ChangeFeed;
import dev.inlet.core.reconcile.FeedException;
import dev.inlet.core.reconcile.Page;
import dev.inlet.core.reconcile.Window;
import dev.inlet.reverb.ReverbProvider;
import dev.inlet.reverb.ReverbTopics;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reverb's orders as a {@link ChangeFeed}: {@code GET /my/orders/selling/all?updated_start_date=&updated_end_date=}
 * (the seller's orders updated in the window, ISO-8601), then every {@code _links.next.href} until there
 * is none. Each order becomes an {@code orders/update} event exactly as the webhook's rules key it
 * ({@link ReverbProvider}: topic, {@code order_number}, SHA-256 of the body; provider time
 * {@code updated_at}), for the entity the processor keeps ({@code reverb#order#<order_number>}, state
 * {@code status}). A page that says more pages follow but links none fails the window rather than
 * dropping them. See docs/providers.md for the shape.
 */
public final class ReverbOrderFeed implements ChangeFeed {
    static final String LISTING = "/my/orders/selling/all";
    static final String EVENT_TYPE = "orders/update";
    /** More pages than this in one window is a loop (a next link pointing back), not a busy shop. */
    static final int MAX_PAGES = 10_000;

    private final ReverbApi api;
    private final ReverbProvider rules = new ReverbProvider(List.of());

    public ReverbOrderFeed(ReverbApi api) {
        this.api = api;
    }

    @Override
    public String provider() {
        return ReverbProvider.NAME;
    }

    @Override
    public String name() {
        return "orders";
    }

    @Override
    public void list(Window window, Pages pages) {
        URI next = api.resolve(LISTING + "?updated_start_date=" + iso(window.from())
                + "&updated_end_date=" + iso(window.until()));
        for (int number = 1; next != null; number++) {
            if (number > MAX_PAGES) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb's order listing went past "
                        + MAX_PAGES + " pages: stopped");
            }
            JsonNode page = api.get(next);
            JsonNode orders = page.path("orders");
            if (!orders.isArray()) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb's order listing has no 'orders' "
                        + "list on page " + number + ": not the documented shape");
            }
            List<Change> changes = new ArrayList<>();
            for (JsonNode order : orders) {
                change(order).ifPresent(changes::add);
            }
            int current = page.path("current_page").asInt(number);
            int total = page.path("total_pages").asInt(0);
            pages.page(new Page(number, total, changes));
            String href = page.path("_links").path("next").path("href").asText("");
            if (href.isEmpty() && total > current) {
                throw new FeedException(FeedException.Reason.UNAVAILABLE, "Reverb's page " + current + " of " + total
                        + " links no next page: the window is incomplete, the cursor does not move");
            }
            next = href.isEmpty() ? null : api.follow(href);
        }
    }

    /** An order as the change it is; empty for one without an order number (it names no entity). */
    Optional<Change> change(JsonNode order) {
        byte[] body = Json.write(order).getBytes(StandardCharsets.UTF_8);
        Envelope envelope;
        try {
            envelope = rules.read(new RawRequest(body, Headers.empty(),
                    Map.of(ReverbProvider.TOPIC_PARAMETER, ReverbTopics.slug(EVENT_TYPE)), "reconcile"));
        } catch (UnreadableBodyException e) {
            return Optional.empty();
        }
        JsonNode number = order.path("order_number");
        if (!(number.isTextual() || number.isIntegralNumber()) || number.asText().isBlank()) {
            return Optional.empty();
        }
        String status = order.path("status").asText("unknown");
        return Optional.of(new Change(new EntityKey(ReverbProvider.NAME, "order", number.asText()),
                status.isBlank() ? "unknown" : status, updatedAt(order), envelope, body));
    }

    private static Optional<Instant> updatedAt(JsonNode order) {
        JsonNode v = order.path("updated_at");
        if (!v.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Rfc3339.parse(v.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static String iso(Instant t) {
        return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
    }
}
