package dev.inlet.aws.eventbridge;

import dev.inlet.aws.AwsClients;
import dev.inlet.core.publish.BusUnavailableException;
import dev.inlet.core.publish.DomainEvent;
import dev.inlet.core.publish.EventBus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * The bus on EventBridge ({@code EVENT_BUS_NAME}, a name or an ARN). One PutEvents call per chunk of at
 * most 10 entries and 256 KB (EventBridge's limits per call); every entry carries the source, detail-type,
 * detail, the change's time and, when the webhook was traced, its X-Ray trace header. An entry EventBridge
 * did not take ({@code FailedEntryCount > 0}) or a failed call is a {@link BusUnavailableException}: the
 * caller publishes the whole set again (consumers deduplicate by the event key). Messages name counts and
 * EventBridge's error codes only, never a detail.
 */
public final class EventBridgeBus implements EventBus {
    /** PutEvents' limit on the total size of one call's entries. */
    static final int CALL_BYTES = 256 * 1024;
    /** What EventBridge counts for an entry's Time, whatever its value. */
    private static final int TIME_BYTES = 14;

    private final String busName;
    private final Optional<EventBridgeClient> client;

    private EventBridgeBus(String busName, Optional<EventBridgeClient> client) {
        this.busName = busName;
        this.client = client;
    }

    /** Publishes to {@code busName} through {@code client}. */
    public static EventBridgeBus on(EventBridgeClient client, String busName) {
        if (busName == null || busName.isBlank()) {
            throw new IllegalArgumentException("a bus name is required");
        }
        return new EventBridgeBus(busName, Optional.of(client));
    }

    /**
     * The processor's bus: {@code EVENT_BUS_NAME} on the container's EventBridge client (built here, at
     * init, so SnapStart's snapshot holds it), or switched off, with no client built, when it is empty.
     */
    public static EventBridgeBus from(AwsClients clients) {
        return clients.settings().eventBusName()
                .map(name -> new EventBridgeBus(name, Optional.of(clients.eventBridge())))
                .orElseGet(() -> new EventBridgeBus("", Optional.empty()));
    }

    @Override
    public boolean enabled() {
        return client.isPresent();
    }

    /** The bus's name or ARN as configured; empty when publishing is off. */
    public String busName() {
        return busName;
    }

    @Override
    public void publish(List<DomainEvent> events) {
        if (client.isEmpty() || events.isEmpty()) {
            return;
        }
        for (List<PutEventsRequestEntry> chunk : chunks(events)) {
            put(client.get(), chunk);
        }
    }

    private void put(EventBridgeClient eventBridge, List<PutEventsRequestEntry> entries) {
        PutEventsResponse response;
        try {
            response = eventBridge.putEvents(r -> r.entries(entries));
        } catch (SdkException e) {
            throw new BusUnavailableException("EventBridge PutEvents failed: " + e.getClass().getSimpleName(), e);
        }
        Integer failed = response.failedEntryCount();
        if (failed != null && failed > 0) {
            TreeSet<String> codes = new TreeSet<>();
            for (PutEventsResultEntry r : response.entries()) {
                if (r.errorCode() != null) {
                    codes.add(r.errorCode());
                }
            }
            throw new BusUnavailableException("EventBridge took " + (entries.size() - failed) + " of "
                    + entries.size() + " events (" + String.join(", ", codes) + ")");
        }
    }

    private List<List<PutEventsRequestEntry>> chunks(List<DomainEvent> events) {
        List<List<PutEventsRequestEntry>> chunks = new ArrayList<>();
        List<PutEventsRequestEntry> chunk = new ArrayList<>();
        int chunkBytes = 0;
        for (DomainEvent e : events) {
            int bytes = size(e);
            if (bytes > CALL_BYTES) {
                throw new BusUnavailableException("event " + e.eventKey() + " is " + bytes
                        + " bytes, over EventBridge's " + CALL_BYTES + " per call");
            }
            if (chunk.size() == BATCH_LIMIT || chunkBytes + bytes > CALL_BYTES) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                chunkBytes = 0;
            }
            chunk.add(entry(e));
            chunkBytes += bytes;
        }
        chunks.add(chunk);
        return chunks;
    }

    private PutEventsRequestEntry entry(DomainEvent e) {
        PutEventsRequestEntry.Builder b = PutEventsRequestEntry.builder()
                .eventBusName(busName)
                .source(e.source())
                .detailType(e.detailType())
                .detail(e.detail())
                .time(e.time());
        e.traceHeader().ifPresent(b::traceHeader);
        return b.build();
    }

    /** An entry's size as EventBridge counts it for the per-call limit. */
    static int size(DomainEvent e) {
        return TIME_BYTES + utf8(e.source()) + utf8(e.detailType()) + utf8(e.detail());
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
