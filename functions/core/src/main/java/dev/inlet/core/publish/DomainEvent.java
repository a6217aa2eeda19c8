package dev.inlet.core.publish;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One entity change as the rest of the business hears it: an EventBridge event with {@code source}
 * {@code inlet.<provider>}, a {@code detailType} that names what changed ("Reverb Order Changed"), and a
 * {@code detail} JSON object that carries the event key (consumers deduplicate by it). Published after the
 * processor applied the change, at least once (docs/events/README.md holds the contract and one schema per
 * detail-type).
 *
 * @param eventKey    the dedup key of the Inlet event that made the change: the same on every retry and replay
 * @param time        the provider's time of the change (Inlet's received time where the provider gives none)
 * @param traceHeader the X-Ray trace header of the webhook that carried the change, if it was traced
 */
public record DomainEvent(String source, String detailType, String detail, String eventKey, Instant time,
                          Optional<String> traceHeader) {
    public DomainEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(detailType, "detailType");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(eventKey, "eventKey");
        Objects.requireNonNull(time, "time");
        traceHeader = traceHeader == null ? Optional.empty() : traceHeader;
    }

    /** The same event, to be published under {@code header}'s trace. */
    public DomainEvent withTraceHeader(Optional<String> header) {
        return new DomainEvent(source, detailType, detail, eventKey, time, header);
    }
}
