package dev.inlet.reverb;

import java.util.List;
import java.util.Optional;

/**
 * Reverb's webhook topics. Reverb's body does not say which topic fired, so each topic gets its own URL:
 * {@code /webhooks/reverb/<slug>/<token>}, where the slug is the topic with '/' written as '-'.
 */
public final class ReverbTopics {
    public static final List<String> ALL = List.of(
            "listings/update", "listings/publish", "listings/bumps-ran-out",
            "orders/create", "orders/update",
            "payments/create", "payments/update",
            "app/uninstalled");

    private ReverbTopics() {
    }

    public static String slug(String topic) {
        return topic.replace('/', '-');
    }

    public static Optional<String> fromSlug(String slug) {
        return ALL.stream().filter(t -> slug(t).equals(slug)).findFirst();
    }
}
