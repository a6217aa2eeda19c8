package dev.inlet.aws.lambda;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.TestProvider;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a receiver's start refuses: settings whose first large delivery would otherwise fail forever. */
class ReceiverStartTest {
    private static HttpReceiver start(String maxBodyBytes) {
        Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "EVENTS_TABLE", "events",
                "EVENTS_QUEUE_URL", "http://127.0.0.1:1/000000000000/events", "MAX_BODY_BYTES", maxBodyBytes));
        return HttpReceiver.create(new TestProvider(), TestClients.of(BackendSettings.from(env)),
                IntakeSettings.from(env), Clock.systemUTC(), Observability.to(new CapturingSink(), Clock.systemUTC()));
    }

    @Test
    void maxBodyBytes_thatNoDynamoDbItemCouldHold_failsTheStart_namingTheSetting() {
        ConfigException e = assertThrows(ConfigException.class, () -> start("500000"));

        assertEquals("MAX_BODY_BYTES: must be at most " + DynamoDbEventStore.MAX_BODY_BYTES + ": "
                + DynamoDbEventStore.MAX_BODY_REASON, e.getMessage());
        assertThrows(ConfigException.class, () -> start(Integer.toString(DynamoDbEventStore.MAX_BODY_BYTES + 1)));
    }

    @Test
    void maxBodyBytes_upToWhatOneItemHolds_starts() {
        assertDoesNotThrow(() -> start(Integer.toString(DynamoDbEventStore.MAX_BODY_BYTES)));
        assertDoesNotThrow(() -> start("262144"));
    }
}
