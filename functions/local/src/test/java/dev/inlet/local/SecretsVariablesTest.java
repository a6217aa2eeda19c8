package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.aws.lambda.Observability;
import dev.inlet.core.config.ConfigException;
import dev.inlet.core.config.Env;
import dev.inlet.core.testing.CapturingSink;
import dev.inlet.core.testing.MutableClock;
import dev.inlet.rheo.RheoReceiver;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which secret variable a receiver reads, decided at start without calling Secrets Manager (no tool needed). */
class SecretsVariablesTest {
    private static final String PLAIN = "whsec_test_sv_plain_not_a_real_secret_01";

    @Test
    void plainAndArnVariableBothSet_failTheStart_namingBothVariablesButNoValue() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        CapturingSink sink = new CapturingSink();
        Env env = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test",
                "EVENTS_TABLE", "EventsTable", "EVENTS_QUEUE_URL", "http://127.0.0.1:1/000000000000/EventsQueue",
                "RHEO_WEBHOOK_SECRETS_ARN", "arn:aws:secretsmanager:us-east-1:000000000000:secret:x-AbCdEf",
                "RHEO_WEBHOOK_SECRETS", PLAIN));

        ConfigException e = assertThrows(ConfigException.class,
                () -> new RheoReceiver(env, clock, Observability.to(sink, clock)));

        assertTrue(e.getMessage().contains("RHEO_WEBHOOK_SECRETS and RHEO_WEBHOOK_SECRETS_ARN"), e.getMessage());
        assertFalse(e.getMessage().contains(PLAIN), "no secret value in the message");
        assertFalse(sink.all().contains(PLAIN), "no secret value in a log line");
    }
}
