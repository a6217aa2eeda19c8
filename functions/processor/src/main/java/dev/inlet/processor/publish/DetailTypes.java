package dev.inlet.processor.publish;

import java.util.List;
import java.util.Locale;

/**
 * THE mapping from an entity change to its EventBridge {@code detail-type}: one fixed set, each with a JSON
 * Schema in docs/events/ ({@code <detail-type as a slug>.schema.json}). The name depends only on the event
 * and the entity it changes, never on what the row held before, so a retry or a replay of one event always
 * publishes under the same detail-type.
 */
public final class DetailTypes {
    /** Every detail-type the default handlers publish. */
    public static final List<String> ALL = List.of(
            "Reverb Order Changed", "Reverb Payment Changed", "Reverb Listing Changed", "Reverb App Uninstalled",
            "Rheo Item Sold", "Rheo Item Changed",
            "Reusely Offer Created", "Reusely Offer Status Changed",
            "Rechat Deal Changed", "Rechat Showing Changed", "Rechat Contact Changed");

    private DetailTypes() {
    }

    /**
     * @param eventType the provider's event type that made the change
     * @param state     the entity's new status
     */
    public static String of(String provider, String entityType, String eventType, String state) {
        return switch (provider + "/" + entityType) {
            case "reverb/order" -> "Reverb Order Changed";
            case "reverb/payment" -> "Reverb Payment Changed";
            case "reverb/listing" -> "Reverb Listing Changed";
            case "reverb/integration" -> "Reverb App Uninstalled";
            case "rheo/item" -> "SOLD".equals(state) ? "Rheo Item Sold" : "Rheo Item Changed";
            case "reusely/offer" -> "offer.created".equals(eventType) ? "Reusely Offer Created"
                    : "Reusely Offer Status Changed";
            case "rechat/deal" -> "Rechat Deal Changed";
            case "rechat/showing" -> "Rechat Showing Changed";
            case "rechat/contact" -> "Rechat Contact Changed";
            // An entity type of your own, written through EntityWriter: "<Provider> <Type> Changed".
            default -> title(provider) + " " + title(entityType) + " Changed";
        };
    }

    /** The EventBridge {@code source} of a provider's changes. */
    public static String source(String provider) {
        return "inlet." + provider;
    }

    /** The detail-type's schema file name in docs/events/: "Rheo Item Sold" -> {@code rheo-item-sold.schema.json}. */
    public static String schemaFile(String detailType) {
        return detailType.toLowerCase(Locale.ROOT).replace(' ', '-') + ".schema.json";
    }

    private static String title(String word) {
        return word.isEmpty() ? word : word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1);
    }
}
