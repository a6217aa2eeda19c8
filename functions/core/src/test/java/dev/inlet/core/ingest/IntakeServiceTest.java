package dev.inlet.core.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.observe.Log;
import dev.inlet.core.observe.Metrics;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.InMemoryEventQueue;
import dev.inlet.core.testing.InMemoryEventStore;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.core.testing.TestProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntakeServiceTest {
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryEventStore store = new InMemoryEventStore();
    private final InMemoryEventQueue queue = new InMemoryEventQueue();
    private final CapturingSink sink = new CapturingSink();
    private final IntakeService intake = intake(new TestProvider());

    private IntakeService intake(WebhookProvider provider) {
        return new IntakeService(provider, store, queue,
                new IntakeSettings(1024, Duration.ofSeconds(30), Duration.ofDays(30)), clock,
                new Log(sink, clock), new Metrics(sink, clock));
    }

    private static RawRequest signed(byte[] body) {
        return new RawRequest(body, Headers.of(Map.of("X-Test-Signature", TestProvider.sign(body))), Map.of(), "r1");
    }

    @Test
    void authenticEvent_isStoredInTheOutboxSentAndAccepted_withNoSecondWrite() {
        IntakeResult result = intake.receive(signed(TestProvider.body("e1", "thing.done", NOW)));

        assertEquals(new IntakeResult.Accepted(new EventKey("test", "e1"), true), result);
        assertEquals(200, result.status());
        assertEquals(EventStatus.RECEIVED, store.find(new EventKey("test", "e1"), NOW).orElseThrow().status(),
                "RECEIVED until the processor's claim: intake writes the record once");
        assertEquals(1, queue.sent().size());
    }

    @Test
    void acceptedWebhook_writesOneMetricLine_withAllItsCounts() {
        intake.receive(signed(TestProvider.body("e1", "thing.done", NOW)));

        assertEquals(1, sink.count("\"_aws\""), "one metric line: " + sink.lines());
        assertEquals(1, sink.count("\"event\":\"accepted\""));
        assertEquals(1, sink.count("\"Name\":\"received\",\"Unit\":\"Count\"},{\"Name\":\"enqueued\""),
                "received and enqueued published together: " + sink.lines());
        assertEquals(1, sink.count("\"received\":1,\"enqueued\":1"));
    }

    @Test
    void acceptedWebhook_whoseSendFails_countsReceivedAndEnqueueFailed_inOneLine() {
        queue.setDown(true);

        intake.receive(signed(TestProvider.body("e1", "thing.done", NOW)));

        assertEquals(1, sink.count("\"received\":1,\"enqueue_failed\":1"), sink.lines().toString());
        assertEquals(0, sink.count("\"enqueued\":1"));
    }

    @Test
    void secondDelivery_isDuplicateAndNotQueuedAgain() {
        byte[] body = TestProvider.body("e1", "thing.done", NOW);
        intake.receive(signed(body));

        IntakeResult again = intake.receive(signed(body));

        assertInstanceOf(IntakeResult.Duplicate.class, again);
        assertEquals(200, again.status());
        assertEquals(1, queue.sent().size());
    }

    @Test
    void sameKeyWithAnotherBody_isADuplicate_loggedAndCountedAsConflict_andTheFirstBodyStays() {
        byte[] first = TestProvider.body("e1", "thing.done", NOW);
        byte[] other = TestProvider.body("e1", "thing.undone", NOW);
        intake.receive(signed(first));

        IntakeResult again = intake.receive(signed(other));

        assertInstanceOf(IntakeResult.Duplicate.class, again);
        assertEquals(200, again.status());
        assertEquals(1, sink.count("\"event\":\"duplicate_conflict\""), "one log line");
        assertEquals(1, sink.count("\"Name\":\"duplicate_conflict\""), "one metric");
        assertEquals("thing.done", store.find(new EventKey("test", "e1"), NOW).orElseThrow().eventType());
    }

    @Test
    void sameKeySameBody_isAPlainDuplicate_withoutConflict() {
        byte[] body = TestProvider.body("e1", "thing.done", NOW);
        intake.receive(signed(body));

        intake.receive(signed(body));

        assertEquals(0, sink.count("duplicate_conflict"));
        assertEquals(1, sink.count("\"Name\":\"duplicate\""));
    }

    @Test
    void badSignature_is401AndLeavesNothing() {
        byte[] body = TestProvider.body("e1", "thing.done", NOW);
        RawRequest forged = new RawRequest(body, Headers.of(Map.of("x-test-signature",
                TestProvider.sign("other".getBytes(StandardCharsets.UTF_8)))), Map.of(), "r1");

        IntakeResult result = intake.receive(forged);

        assertEquals(new IntakeResult.Rejected(RejectionReason.BAD_SIGNATURE, 401), result);
        assertEquals(0, store.size());
        assertTrue(queue.sent().isEmpty());
        assertEquals(1, sink.count("\"event\":\"rejected\""), "one log line");
        assertEquals(1, sink.count("\"Name\":\"rejected\""), "one metric");
        assertEquals(2, sink.lines().size(), "and nothing else");
    }

    @Test
    void noSecretsConfigured_rejectsEvenACorrectlySignedRequest() {
        IntakeResult result = intake(new TestProvider(List.of()))
                .receive(signed(TestProvider.body("e1", "thing.done", NOW)));

        assertEquals(new IntakeResult.Rejected(RejectionReason.NO_SECRETS_CONFIGURED, 401), result);
        assertEquals(0, store.size());
    }

    @Test
    void bodyOverTheLimit_is413BeforeVerification() {
        byte[] big = new byte[1025];

        IntakeResult result = intake.receive(signed(big));

        assertEquals(new IntakeResult.Rejected(RejectionReason.BODY_TOO_LARGE, 413), result);
        assertEquals(0, store.size());
    }

    @Test
    void staleOrFutureTimestamp_is401() {
        IntakeResult old = intake.receive(signed(TestProvider.body("e1", "t", NOW.minus(Duration.ofMinutes(6)))));
        IntakeResult future = intake.receive(signed(TestProvider.body("e2", "t", NOW.plus(Duration.ofMinutes(6)))));

        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_TOO_OLD, 401), old);
        assertEquals(new IntakeResult.Rejected(RejectionReason.TIMESTAMP_IN_FUTURE, 401), future);
        assertEquals(0, store.size());
    }

    @Test
    void authenticButUnreadableBody_isQuarantinedAnd200() {
        byte[] body = "not json at all".getBytes(StandardCharsets.UTF_8);

        IntakeResult result = intake.receive(signed(body));

        assertInstanceOf(IntakeResult.Quarantined.class, result);
        assertEquals(200, result.status());
        var stored = store.list(EventQuery.all(), NOW);
        assertEquals(1, stored.size());
        assertEquals(EventStatus.QUARANTINED, stored.get(0).status());
        assertTrue(queue.sent().isEmpty(), "a quarantined event is never processed");
    }

    @Test
    void storeUnavailable_is503AndNothingIsQueued() {
        store.setDown(true);

        IntakeResult result = intake.receive(signed(TestProvider.body("e1", "t", NOW)));

        assertEquals(503, result.status());
        assertTrue(queue.sent().isEmpty());
    }

    @Test
    void queueFailureAfterTheCommitPoint_isStill200AndTheRecordWaitsForTheSweeper() {
        queue.setDown(true);

        IntakeResult result = intake.receive(signed(TestProvider.body("e1", "t", NOW)));

        assertEquals(new IntakeResult.Accepted(new EventKey("test", "e1"), false), result);
        assertEquals(EventStatus.RECEIVED, store.find(new EventKey("test", "e1"), NOW).orElseThrow().status());
    }

    @Test
    void retryOfAStrandedRecord_duringItsLease_isADuplicateOnly() {
        queue.setDown(true);
        byte[] body = TestProvider.body("e1", "t", NOW);
        intake.receive(signed(body));
        queue.setDown(false);
        clock.advance(Duration.ofSeconds(10));

        IntakeResult retry = intake.receive(signed(body));

        assertEquals(new IntakeResult.Duplicate(new EventKey("test", "e1"), false), retry);
        assertTrue(queue.sent().isEmpty());
    }

    @Test
    void retryOfAStrandedRecord_afterItsLease_resendsIt() {
        queue.setDown(true);
        byte[] body = TestProvider.body("e1", "t", NOW);
        intake.receive(signed(body));
        queue.setDown(false);
        clock.advance(Duration.ofSeconds(31));

        IntakeResult retry = intake.receive(signed(body));

        assertEquals(new IntakeResult.Duplicate(new EventKey("test", "e1"), true), retry);
        assertEquals(1, queue.sent().size());
        assertEquals(1, sink.count("\"duplicate\":1,\"resent\":1,\"enqueued\":1"), sink.lines().toString());
        EventRecord resent = store.find(new EventKey("test", "e1"), clock.instant()).orElseThrow();
        assertEquals(1, resent.resends());
        assertEquals(clock.instant().plusSeconds(60), resent.leaseUntil(), "a resend doubles the lease");
    }

    @Test
    void priming_runsTheRequestPath_withoutWritingQueueingOrLoggingAnything() {
        intake.prime();

        assertEquals(0, store.size());
        assertTrue(queue.sent().isEmpty());
        assertTrue(sink.lines().isEmpty(), "no log line, no metric: " + sink.lines());
    }

    @Test
    void logs_neverContainTheBodyOrTheSignature() {
        byte[] body = TestProvider.body("e1", "thing.done", NOW);
        intake.receive(signed(body));
        intake.receive(new RawRequest(body, Headers.of(Map.of("x-test-signature", "00")), Map.of(), "r2"));

        String logs = sink.all();
        assertFalse(logs.contains(TestProvider.sign(body)));
        assertFalse(logs.contains(new String(body, StandardCharsets.UTF_8)));
        assertFalse(logs.contains(TestProvider.SECRET));
    }

    @Test
    void tracedRequest_storesItsTraceHeaderOnTheRecord_andSendsItWithTheMessage_andAProviderRetryResendsIt() {
        String trace = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";
        byte[] body = TestProvider.body("e1", "thing.done", NOW);
        queue.setDown(true);

        intake.receive(new RawRequest(body, Headers.of(Map.of("X-Test-Signature", TestProvider.sign(body))), Map.of(),
                "r1", Optional.of(trace)));

        assertEquals(Optional.of(trace), store.find(new EventKey("test", "e1"), NOW).orElseThrow().traceHeader());
        queue.setDown(false);
        clock.advance(Duration.ofMinutes(1));
        intake.receive(signed(body));                      // the provider's retry, untraced, after the lease

        assertEquals(List.of(Optional.of(trace)), queue.sent().stream().map(m -> m.traceHeader()).toList(),
                "the resend carries the trace of the delivery that stored the record");
        assertTrue(intake.receive(signed(TestProvider.body("e2", "thing.done", NOW.plusSeconds(60)))).status() == 200);
        assertEquals(Optional.empty(), queue.sent().get(1).traceHeader(), "an untraced request has none");
    }
}
