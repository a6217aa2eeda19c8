package dev.inlet.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * DynamoDB Local cannot bind port 0, so it is handed a port that was free when chosen. Another process may
 * take that port before DynamoDB Local binds it (the race issue 28 names): here that process is this test,
 * holding the first candidate open, so the race is lost on purpose, every time.
 */
class EmbeddedBackendsPortTest {

    @Test
    void firstCandidatePortTakenBeforeDynamoBindsIt_startsOnTheNextCandidate() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0)) {
            int taken = squatter.getLocalPort();
            Candidates candidates = new Candidates(taken);

            try (EmbeddedBackends backends = EmbeddedBackends.start(candidates, EmbeddedBackends.DYNAMO_PORT_ATTEMPTS, 0)) {
                int bound = backends.dynamoEndpoint().getPort();
                assertEquals(2, candidates.handedOut.size(), "candidates handed out: " + candidates.handedOut);
                assertEquals(candidates.handedOut.get(1), bound);
                assertNotEquals(taken, bound);
                // DynamoDB Local, not the squatter, answers at the endpoint it reports.
                backends.dynamo().createTable(r -> r.tableName("PortProbe").billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(AttributeDefinition.builder().attributeName("pk")
                                .attributeType(ScalarAttributeType.S).build())
                        .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
                assertEquals(List.of("PortProbe"), backends.dynamo().listTables().tableNames());
                assertTrue(backends.sqs().listQueues().queueUrls().isEmpty(), "ElasticMQ answers too");
            }
        }
    }

    @Test
    void everyCandidatePortTaken_failsAfterTheAttemptsNamingThePortsTried() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0)) {
            int taken = squatter.getLocalPort();
            List<Integer> handedOut = new ArrayList<>();
            IntSupplier alwaysTaken = () -> {
                handedOut.add(taken);
                return taken;
            };

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedBackends.start(alwaysTaken, 3, 0).close());

            assertEquals(3, handedOut.size());
            assertEquals("DynamoDB Local found no free port in 3 attempts: ports [" + taken + ", " + taken + ", "
                    + taken + "] were each taken by another process before it could bind them", e.getMessage());
        }
    }

    @Test
    void portAskedForByNumberInUse_failsAtOnceNamingIt() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0)) {
            int taken = squatter.getLocalPort();

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> EmbeddedBackends.start(taken, 0).close());

            assertEquals("DynamoDB Local could not start: port " + taken + " is already in use", e.getMessage());
        }
    }

    /** The taken port first, then ports free right now, recording what it handed out. */
    private static final class Candidates implements IntSupplier {
        private final int first;
        private final List<Integer> handedOut = new ArrayList<>();

        Candidates(int first) {
            this.first = first;
        }

        @Override
        public int getAsInt() {
            int port = handedOut.isEmpty() ? first : EmbeddedBackends.portFreeNow();
            handedOut.add(port);
            return port;
        }
    }
}
