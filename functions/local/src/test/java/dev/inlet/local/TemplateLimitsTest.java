package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.core.config.Env;
import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.core.config.ProcessingSettings;
import dev.inlet.embedded.SamTemplate;
import dev.inlet.local.throttle.RouteLimits;
import dev.inlet.local.throttle.RouteLimitsTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The limits template.yaml sets, checked against each other and against what the code assumes. */
class TemplateLimitsTest {
    private static final SamTemplate TEMPLATE = SamTemplate.load(SamTemplate.locate());

    private static SamTemplate.Function function(String logicalId) {
        return TEMPLATE.functions().stream().filter(f -> f.logicalId().equals(logicalId)).findFirst().orElseThrow();
    }

    private static List<SamTemplate.Function> receivers() {
        return TEMPLATE.functions().stream().filter(f -> !f.routes().isEmpty()).toList();
    }

    /** dev.inlet.rheo.RheoReceiver -> rheo */
    private static String providerOf(SamTemplate.Function f) {
        String[] parts = f.handlerClass().split("\\.");
        return parts[parts.length - 2];
    }

    private static JsonNode sqsEvent(SamTemplate.Function f) {
        for (JsonNode event : f.properties().path("Events")) {
            if (event.path("Type").asText().equals("SQS")) {
                return event.path("Properties");
            }
        }
        throw new AssertionError(f.logicalId() + " has no SQS event");
    }

    private static boolean refersTo(JsonNode resource, String logicalId) {
        return resource.toString().contains("\"" + logicalId + "\"") || resource.toString().contains("${" + logicalId);
    }

    @Test
    void everyReceiver_mayTouchOnlyItsOwnProvidersKeysInTheEventsTable() {
        assertEquals(4, receivers().size());
        for (SamTemplate.Function f : receivers()) {
            List<JsonNode> onTable = new ArrayList<>();
            for (JsonNode policy : f.properties().path("Policies")) {
                for (JsonNode statement : policy.path("Statement")) {
                    if (refersTo(statement.path("Resource"), "EventsTable")) {
                        onTable.add(statement);
                    }
                }
            }
            assertFalse(onTable.isEmpty(), f.logicalId());
            for (JsonNode statement : onTable) {
                JsonNode leading = statement.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys");
                assertEquals("[\"" + providerOf(f) + "#*\"]", leading.toString(),
                        f.logicalId() + ": every grant on the events table is limited to its provider's keys");
            }
        }
    }

    @Test
    void everyRoute_carriesTheLimitsDerivedFromItsProvidersRetriesAndBursts() {
        Map<String, RouteLimits> deployed = RouteLimitsTable.fromTemplate(TEMPLATE);
        assertEquals(RouteLimitsTable.ROWS.size(), deployed.size());
        for (RouteLimitsTable.Row row : RouteLimitsTable.ROWS) {
            assertEquals(row.limits(), deployed.get(row.provider()),
                    row.provider() + ": template.yaml's route settings and reserved concurrency = the table's");
            SamTemplate.Function f = receivers().stream().filter(r -> providerOf(r).equals(row.provider())).findFirst()
                    .orElseThrow();
            assertEquals(row.routeKey(), f.routes().get(0).method() + " " + f.routes().get(0).path());
        }
    }

    @Test
    void everyRoutesBurst_fitsInItsReservedExecutions_soAnOverflowIsACounted429NotALambdaThrottle() {
        RouteLimitsTable.fromTemplate(TEMPLATE).forEach((provider, limits) -> {
            int held = (int) Math.ceil(limits.rate() * RouteLimitsTable.HOLD.toMillis() / 1000.0);
            assertTrue(limits.burst() >= 1 && limits.burst() + held <= limits.concurrency(),
                    provider + ": burst " + limits.burst() + " + " + held + " held by the rate > " + limits.concurrency());
        });
    }

    @Test
    void theRoutesTogether_stayWithinTheAccountsRegionalLimits_andLeaveLambdasUnreservedMinimum() {
        Map<String, RouteLimits> deployed = RouteLimitsTable.fromTemplate(TEMPLATE);
        int rates = deployed.values().stream().mapToInt(RouteLimits::rate).sum();
        int bursts = deployed.values().stream().mapToInt(RouteLimits::burst).sum();
        assertTrue(rates <= RouteLimitsTable.ACCOUNT_RATE && bursts <= RouteLimitsTable.ACCOUNT_BURST,
                "all routes at once: " + rates + " rps, burst " + bursts + ", within the account's regional HTTP API limit");
        int reserved = RouteLimitsTable.reserved(TEMPLATE);
        assertTrue(reserved + RouteLimitsTable.UNRESERVED_MINIMUM <= RouteLimitsTable.ACCOUNT_CONCURRENCY,
                reserved + " reserved executions leave less than Lambda's unreserved minimum of a default account");
    }

    @Test
    void queueVisibilityTimeout_isAtLeastSixTimesTheProcessorTimeoutPlusItsBatchingWindow() {
        SamTemplate.Function processor = function("ProcessorFunction");
        int timeout = processor.properties().path("Timeout").asInt();
        int window = sqsEvent(processor).path("MaximumBatchingWindowInSeconds").asInt();
        int visibility = TEMPLATE.root().path("Resources").path("EventsQueue").path("Properties")
                .path("VisibilityTimeout").asInt();

        assertTrue(timeout > 0);
        assertTrue(visibility >= 6 * timeout + window, visibility + " < 6 x " + timeout + " + " + window);
    }

    @Test
    void processorReservedConcurrency_coversItsEventSourcesMaximumConcurrency() {
        SamTemplate.Function processor = function("ProcessorFunction");
        int reserved = processor.properties().path("ReservedConcurrentExecutions").asInt();
        int maximum = sqsEvent(processor).path("ScalingConfig").path("MaximumConcurrency").asInt();

        assertTrue(maximum >= 2, "the event source's MaximumConcurrency is set");
        assertEquals(maximum, reserved, "reserved = the poller's maximum: never throttled, nothing reserved unused");
    }

    @Test
    void processorTimeout_leavesRoomToStartEvents_andTheLeaseLiesBetweenTimeoutAndVisibility() {
        SamTemplate.Function processor = function("ProcessorFunction");
        Map<String, String> env = new HashMap<>();
        processor.environment().forEach((k, v) -> env.put(k, v.asText()));
        Duration callTimeout = new AwsClients(BackendSettings.from(Env.of(Map.of("EVENTS_TABLE", "EventsTable",
                "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")))).callTimeout();
        ProcessingSettings settings = ProcessingSettings.from(Env.of(env), callTimeout);
        Duration timeout = Duration.ofSeconds(processor.properties().path("Timeout").asInt());
        Duration visibility = Duration.ofSeconds(TEMPLATE.root().path("Resources").path("EventsQueue")
                .path("Properties").path("VisibilityTimeout").asInt());

        assertTrue(timeout.compareTo(settings.batchStopMargin()) > 0,
                "a batch must be able to start events: timeout " + timeout + " vs margin " + settings.batchStopMargin());
        assertTrue(timeout.compareTo(settings.batchStopMargin().multipliedBy(2)) >= 0,
                "at least as much time to start events in as the margin: " + timeout);
        assertTrue(settings.lease().compareTo(timeout) > 0 && settings.lease().compareTo(visibility) < 0);
        assertTrue(visibility.compareTo(timeout.multipliedBy(6)) >= 0, "visibility >= 6x the function timeout");
    }

    @Test
    void queueMaxReceiveCount_isABackstopWellAboveTheRecordsOwnAttempts() {
        Map<String, String> env = new HashMap<>();
        function("ProcessorFunction").environment().forEach((k, v) -> env.put(k, v.asText()));
        ProcessingSettings settings = ProcessingSettings.from(Env.of(env), Duration.ofSeconds(5));
        int maxReceiveCount = TEMPLATE.root().path("Resources").path("EventsQueue").path("Properties")
                .path("RedrivePolicy").path("maxReceiveCount").asInt();

        assertTrue(maxReceiveCount >= 10 * settings.maxAttempts(), "receives never decide a record's fate: "
                + maxReceiveCount + " receives vs " + settings.maxAttempts() + " attempts");
        assertTrue(function("ProcessorFunction").environment().containsKey("DEAD_LETTER_QUEUE_URL"),
                "the processor parks given-up messages itself");
    }
}
