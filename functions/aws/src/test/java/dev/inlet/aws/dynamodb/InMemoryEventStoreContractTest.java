package dev.inlet.aws.dynamodb;

import dev.inlet.core.store.EventStore;
import dev.inlet.core.testing.InMemoryEventStore;

/** The in-memory fake (core test-jar) held to the same contract as the DynamoDB adapter. */
class InMemoryEventStoreContractTest extends EventStoreContract {
    @Override
    EventStore newStore() {
        return new InMemoryEventStore();
    }
}
