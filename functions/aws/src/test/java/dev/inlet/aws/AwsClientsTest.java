package dev.inlet.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.inlet.core.config.Env;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/** The SDK limits the functions run with: tests use longer ones (TestClients), so these are pinned here. */
class AwsClientsTest {
    private static final BackendSettings SETTINGS = BackendSettings.from(Env.of(Map.of("AWS_REGION", "eu-north-1",
            "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "EVENTS_TABLE", "EventsTable")));

    @Test
    void productionTimeouts_areTwoSecondsPerAttemptAndFivePerCall_soACallEndsInsideRheosTenSeconds() {
        AwsClients.Timeouts production = AwsClients.Timeouts.PRODUCTION;

        assertEquals(new AwsClients.Timeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(2),
                Duration.ofSeconds(4)), production);
        assertTrue(production.call().compareTo(Duration.ofSeconds(10)) < 0, "a receiver answers Rheo within 10 s");
        assertTrue(production.attempt().compareTo(production.call()) < 0, "a retry fits inside the call limit");
    }

    @Test
    void theFunctionsConstructor_buildsEveryClientWithTheProductionTimeouts() {
        AwsClients clients = new AwsClients(SETTINGS);

        assertEquals(AwsClients.Timeouts.PRODUCTION, clients.timeouts());
        for (ClientOverrideConfiguration o : new ClientOverrideConfiguration[] {
                clients.dynamoDb().serviceClientConfiguration().overrideConfiguration(),
                clients.sqs().serviceClientConfiguration().overrideConfiguration(),
                clients.secretsManager().serviceClientConfiguration().overrideConfiguration(),
                clients.eventBridge().serviceClientConfiguration().overrideConfiguration()}) {
            assertEquals(java.util.Optional.of(Duration.ofSeconds(2)), o.apiCallAttemptTimeout());
            assertEquals(java.util.Optional.of(Duration.ofSeconds(5)), o.apiCallTimeout());
        }
    }

    @Test
    void eventBridgeEndpoint_overridesTheEventBridgeClientsEndpointOnly() {
        AwsClients clients = new AwsClients(BackendSettings.from(Env.of(Map.of("AWS_REGION", "eu-north-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test", "EVENTS_TABLE", "EventsTable",
                "EVENT_BUS_NAME", "inlet", "EVENTBRIDGE_ENDPOINT", "http://127.0.0.1:5999"))));

        assertEquals(java.util.Optional.of(java.net.URI.create("http://127.0.0.1:5999")),
                clients.eventBridge().serviceClientConfiguration().endpointOverride());
        assertEquals(java.util.Optional.empty(), clients.sqs().serviceClientConfiguration().endpointOverride());
        assertEquals(java.util.Optional.of("inlet"), clients.settings().eventBusName());
    }
}
