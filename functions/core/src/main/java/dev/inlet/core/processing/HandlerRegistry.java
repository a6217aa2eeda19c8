package dev.inlet.core.processing;

import dev.inlet.core.entity.EntityKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which handler runs for a (provider, event type): an exact registration wins, then the provider's
 * catch-all, then the fallback. Unknown event types therefore never fail a batch.
 */
public final class HandlerRegistry {
    private final Map<String, EventHandler> exact;
    private final Map<String, EventHandler> perProvider;
    private final EventHandler fallback;

    private HandlerRegistry(Builder b) {
        this.exact = Map.copyOf(b.exact);
        this.perProvider = Map.copyOf(b.perProvider);
        this.fallback = Objects.requireNonNull(b.fallback, "a fallback handler is required");
    }

    public static Builder builder() {
        return new Builder();
    }

    public EventHandler find(String provider, String eventType) {
        EventHandler h = exact.get(provider + "\u0000" + eventType);
        if (h != null) {
            return h;
        }
        return perProvider.getOrDefault(provider, fallback);
    }

    public static final class Builder {
        private final Map<String, EventHandler> exact = new HashMap<>();
        private final Map<String, EventHandler> perProvider = new HashMap<>();
        private EventHandler fallback;

        /** Registers (or replaces) the handler for one provider event type. */
        public Builder on(String provider, String eventType, EventHandler handler) {
            exact.put(provider + "\u0000" + eventType, Objects.requireNonNull(handler));
            return this;
        }

        /**
         * Adds a handler that runs after whatever is registered for this event type (or after the
         * fallback): your logic next to the defaults, without replacing them. If either throws, the
         * event is retried; both should be idempotent.
         */
        public Builder also(String provider, String eventType, EventHandler handler) {
            String key = provider + "\u0000" + eventType;
            EventHandler first = exact.getOrDefault(key, perProvider.getOrDefault(provider, fallback));
            EventHandler second = Objects.requireNonNull(handler);
            if (first == null) {
                exact.put(key, second);
                return this;
            }
            exact.put(key, new EventHandler() {
                @Override
                public void handle(ReceivedEvent event) throws Exception {
                    first.handle(event);
                    second.handle(event);
                }

                @Override
                public List<EntityKey> entities(ReceivedEvent event) throws Exception {
                    List<EntityKey> both = new ArrayList<>(first.entities(event));
                    second.entities(event).stream().filter(k -> !both.contains(k)).forEach(both::add);
                    return List.copyOf(both);
                }

                @Override
                public String name() {
                    return first.name() + "+" + second.name();
                }
            });
            return this;
        }

        /** Registers (or replaces) the handler for every other event type of a provider. */
        public Builder onAnyOf(String provider, EventHandler handler) {
            perProvider.put(provider, Objects.requireNonNull(handler));
            return this;
        }

        public Builder fallback(EventHandler handler) {
            this.fallback = handler;
            return this;
        }

        public HandlerRegistry build() {
            return new HandlerRegistry(this);
        }
    }
}
