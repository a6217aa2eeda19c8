package dev.inlet.local.console;

import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The page's filter: provider, status, event type, and "since" (seconds back from now), as one
 * {@link EventQuery}: the store matches the event type while it pages the listing index.
 */
public record ConsoleFilter(Optional<String> provider, Optional<EventStatus> status, Optional<String> eventType,
                     Optional<Duration> since) {

    /** @param param the request's value of a parameter, or null */
    static ConsoleFilter of(Function<String, String> param) {
        Optional<EventStatus> status = Optional.ofNullable(ConsoleHttp.blank(param.apply("status"))).map(s -> {
            try {
                return EventStatus.valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown status");
            }
        });
        Optional<Duration> since = Optional.ofNullable(ConsoleHttp.blank(param.apply("since"))).map(s -> {
            try {
                return Duration.ofSeconds(Long.parseLong(s));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("since is a number of seconds");
            }
        });
        return new ConsoleFilter(Optional.ofNullable(ConsoleHttp.blank(param.apply("provider"))), status,
                Optional.ofNullable(ConsoleHttp.blank(param.apply("type"))), since);
    }

    EventQuery query(Instant now, int limit) {
        return new EventQuery(provider, status, eventType, since.map(now::minus), Optional.empty(), limit);
    }
}
