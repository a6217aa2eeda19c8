package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.inlet.core.ingest.IntakeResult;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md's request path is two backend calls: the conditional put (into the outbox) and the send.
 * Counted at the SDK boundary of the real receiver code, against DynamoDB Local and ElasticMQ.
 */
class IntakeCallsTest {
    private final Pipeline p = new Pipeline();

    private List<String> calls() {
        List<String> all = new ArrayList<>(p.dynamoFaults.calls());
        all.addAll(p.sqsFaults.calls());
        return all;
    }

    @Test
    void newEvent_costsExactlyOnePutAndOneSend() {
        p.dynamoFaults.clearCalls();
        p.sqsFaults.clearCalls();

        IntakeResult result = p.deliver(Pipeline.body("evt_c1", p.clock.instant()));

        assertEquals(new IntakeResult.Accepted(new EventKey("rheo", "evt_c1"), true), result);
        assertEquals(List.of("PutItem", "SendMessage"), calls());
        assertEquals(EventStatus.RECEIVED, p.record("evt_c1").status(), "the claim, not intake, moves it on");
    }

    @Test
    void plainDuplicate_costsOnePutOnly() {
        byte[] body = Pipeline.body("evt_c2", p.clock.instant());
        p.deliver(body);
        p.dynamoFaults.clearCalls();
        p.sqsFaults.clearCalls();

        IntakeResult again = p.deliver(body);

        assertEquals(new IntakeResult.Duplicate(new EventKey("rheo", "evt_c2"), false), again);
        assertEquals(List.of("PutItem"), calls());
    }
}
