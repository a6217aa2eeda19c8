package dev.inlet.processor.payload;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Rechat brand-webhook payloads: a deal, a showing, or a page of contacts (up to 50). */
public final class RechatPayload {
    private RechatPayload() {
    }

    public record Deal(Optional<String> id, Optional<String> title, Optional<String> dealType) {}

    public record Showing(Optional<String> id, Optional<String> deal, Optional<String> listing) {}

    public record Contact(Optional<String> id, Optional<String> displayName, Optional<String> email) {}

    public static Deal deal(JsonNode body) {
        JsonNode d = body.path("payload").path("deal");
        return new Deal(Lenient.text(d, "id"), Lenient.text(d, "title"), Lenient.text(d, "deal_type"));
    }

    public static Showing showing(JsonNode body) {
        JsonNode s = body.path("payload").path("showing");
        return new Showing(Lenient.text(s, "id"), Lenient.text(s, "deal"), Lenient.text(s, "listing"));
    }

    public static List<Contact> contacts(JsonNode body) {
        List<Contact> out = new ArrayList<>();
        for (JsonNode c : body.path("payload").path("data")) {
            out.add(new Contact(Lenient.text(c, "id"), Lenient.text(c, "display_name"), Lenient.text(c, "email")));
        }
        return out;
    }
}
