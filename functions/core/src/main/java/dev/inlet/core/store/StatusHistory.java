package dev.inlet.core.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * When a record last entered each status, and when it was last re-sent from the outbox: bounded by the
 * number of statuses, written by the updates that change the status anyway (claim, complete, failure,
 * replay, sweeper resend; and the write that marks a record's domain events published), never by a call of its own. The time it entered RECEIVED (or QUARANTINED) is
 * the record's {@code receivedAt}, so the receiver's put adds nothing. With the record's counts (attempts,
 * resends, replays, times processed) it tells an event's story without a log:
 * received -> processing -> processed, and after a replay queued -> processing -> processed again.
 */
public record StatusHistory(Map<EventStatus, Instant> entered, Optional<Instant> lastResendAt,
                            Optional<Instant> lastPublishedAt) {
    public static final StatusHistory NONE = new StatusHistory(Map.of(), Optional.empty(), Optional.empty());

    /** A history in which nothing was published. */
    public StatusHistory(Map<EventStatus, Instant> entered, Optional<Instant> lastResendAt) {
        this(entered, lastResendAt, Optional.empty());
    }

    /** One step of the story: a status entered (or {@code resent}), and when. */
    public record Step(String what, Instant at) {}

    public StatusHistory {
        EnumMap<EventStatus, Instant> copy = new EnumMap<>(EventStatus.class);
        if (entered != null) {
            copy.putAll(entered);
        }
        entered = Map.copyOf(copy);
        lastResendAt = lastResendAt == null ? Optional.empty() : lastResendAt;
        lastPublishedAt = lastPublishedAt == null ? Optional.empty() : lastPublishedAt;
    }

    public Optional<Instant> at(EventStatus status) {
        return Optional.ofNullable(entered.get(status));
    }

    /** The same history with {@code status} last entered {@code at}. */
    public StatusHistory entering(EventStatus status, Instant at) {
        EnumMap<EventStatus, Instant> next = new EnumMap<>(EventStatus.class);
        next.putAll(entered);
        next.put(status, at);
        return new StatusHistory(next, lastResendAt, lastPublishedAt);
    }

    public StatusHistory resent(Instant at) {
        return new StatusHistory(entered, Optional.of(at), lastPublishedAt);
    }

    /** The same history with the record's domain events last published {@code at}. */
    public StatusHistory published(Instant at) {
        return new StatusHistory(entered, lastResendAt, Optional.of(at));
    }

    /**
     * The steps in time order, starting with arrival ({@code received} or {@code quarantined} at
     * {@code receivedAt}). Each status appears once, at the last time it was entered. Steps in the same
     * millisecond: the record's {@code current} status last (it was entered last), the others in the
     * lifecycle's order (queued before processing before processed).
     */
    public List<Step> inOrder(Instant receivedAt, EventStatus current) {
        record Timed(int order, Step step) {}
        List<Timed> steps = new ArrayList<>();
        steps.add(new Timed(-1, new Step(current == EventStatus.QUARANTINED ? "quarantined" : "received",
                receivedAt)));
        entered.forEach((status, at) -> {
            if (status != EventStatus.RECEIVED && status != EventStatus.QUARANTINED) {
                steps.add(new Timed(status == current ? Integer.MAX_VALUE - 1 : status.ordinal(),
                        new Step(status.name().toLowerCase(Locale.ROOT), at)));
            }
        });
        // A resend happens while the record waits in the outbox: before the claim at the same instant.
        lastResendAt.ifPresent(at -> steps.add(new Timed(EventStatus.QUEUED.ordinal(), new Step("resent", at))));
        // Publishing follows the PROCESSED write of its run: after it at the same instant.
        lastPublishedAt.ifPresent(at -> steps.add(new Timed(Integer.MAX_VALUE, new Step("published", at))));
        steps.sort(Comparator.comparing((Timed t) -> t.step().at()).thenComparingInt(Timed::order));
        return steps.stream().map(Timed::step).toList();
    }
}
