package dev.inlet.aws.dynamodb;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.LocalTables;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.store.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The DynamoDB adapter against DynamoDB Local, on template.yaml's table: the contract the fake is held to. */
class DynamoDbEventStoreContractTest extends EventStoreContract {
    private static DynamoDbClient dynamo;
    private static String table;

    @BeforeAll
    static void start() {
        var resources = LocalTables.create();
        dynamo = TestClients.of(BackendSettings.from(LocalTables.env(resources))).dynamoDb();
        table = resources.ref("EventsTable").orElseThrow();
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
    }

    @Override
    EventStore newStore() {
        return new DynamoDbEventStore(dynamo, table);
    }
}
