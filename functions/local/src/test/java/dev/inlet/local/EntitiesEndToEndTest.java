package dev.inlet.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.entity.EntityKey;
import dev.inlet.core.entity.EntityState;
import dev.inlet.core.json.Json;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import dev.inlet.local.samples.Samples;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every event type of every provider, sent through the local stack, moves the right entity to the right state. */
class EntitiesEndToEndTest {
    private static LocalStack stack;
    private static DynamoDbEntityStore entities;

    /** What one event type must do: which entity (read from the body) and which state. */
    record Expect(String provider, String eventType, String entityType, Function<JsonNode, String> id, String state) {}

    @BeforeAll
    static void start() {
        stack = LocalStack.start(LocalStack.Options.forTests());
        Env env = Env.of(stack.environmentOf("ProcessorFunction"));
        entities = new DynamoDbEntityStore(TestClients.of(BackendSettings.from(env)).dynamoDb(),
                env.required("ENTITIES_TABLE"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    static Stream<Arguments> expectations() {
        Function<JsonNode, String> rheoItem = b -> b.path("data").path("externalId").asText();
        Function<JsonNode, String> reverbListing = b -> b.path("id").asText();
        Function<JsonNode, String> reverbOrder = b -> b.path("order_number").asText();
        Function<JsonNode, String> offer = b -> b.path("object_id").asText();
        Function<JsonNode, String> deal = b -> b.path("payload").path("deal").path("id").asText();
        Function<JsonNode, String> firstContact = b -> b.path("payload").path("data").get(0).path("id").asText();
        List<Expect> all = new ArrayList<>(List.of(
                new Expect("rheo", "item.created", "item", rheoItem, "CREATED"),
                new Expect("rheo", "item.images_ready", "item", rheoItem, "IMAGES_READY"),
                new Expect("rheo", "listing.created", "item", rheoItem, "LISTED"),
                new Expect("rheo", "item.sold", "item", rheoItem, "SOLD"),
                new Expect("rheo", "listing.ended", "item", rheoItem, "ENDED_UNSOLD"),
                new Expect("rheo", "listing.failed", "item", rheoItem, "FAILED"),
                new Expect("reverb", "listings/update", "listing", reverbListing, "sold_out"),
                new Expect("reverb", "listings/publish", "listing", reverbListing, "live"),
                new Expect("reverb", "listings/bumps-ran-out", "listing", reverbListing, "live"),
                new Expect("reverb", "orders/create", "order", reverbOrder, "unpaid"),
                new Expect("reverb", "orders/update", "order", reverbOrder, "shipped"),
                new Expect("reverb", "payments/create", "payment", reverbOrder, "paid"),
                new Expect("reverb", "payments/update", "payment", reverbOrder, "paid"),
                new Expect("reverb", "app/uninstalled", "integration", b -> b.path("shop_id").asText(), "DISCONNECTED"),
                new Expect("reusely", "offer.created", "offer", offer, "Offer Created"),
                new Expect("reusely", "offer.status.updated", "offer", offer, "Device Received"),
                new Expect("rechat", "Deals.Created", "deal", deal, "CREATED"),
                new Expect("rechat", "Deals.Updated", "deal", deal, "UPDATED"),
                new Expect("rechat", "Deals.Deleted", "deal", deal, "DELETED"),
                new Expect("rechat", "Showings.showing.created", "showing",
                        b -> b.path("payload").path("showing").path("id").asText(), "SCHEDULED"),
                new Expect("rechat", "Contacts.create", "contact", firstContact, "ACTIVE"),
                new Expect("rechat", "Contacts.update", "contact", firstContact, "ACTIVE"),
                new Expect("rechat", "Contacts.delete", "contact", firstContact, "DELETED")));
        long sampleTypes = Samples.all().stream().mapToLong(s -> s.eventTypes().size()).sum();
        assertEquals(sampleTypes, all.size(), "every sample event type has an expectation");
        return all.stream().map(e -> Arguments.of(e.provider() + " " + e.eventType(), e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("expectations")
    void eventType_movesItsEntityToTheExpectedState(String name, Expect expect) throws Exception {
        ProviderSamples samples = Samples.of(expect.provider()).orElseThrow();
        String function = Character.toUpperCase(expect.provider().charAt(0)) + expect.provider().substring(1)
                + "ReceiverFunction";
        SampleRequest request = samples.build(expect.eventType(), Env.of(stack.environmentOf(function)),
                Instant.now(), UUID.randomUUID().toString());
        JsonNode body = Json.parse(request.body());
        EntityKey key = new EntityKey(expect.provider(), expect.entityType(), expect.id().apply(body));

        assertEquals(200, new StackClient(stack, function).post(request).statusCode());

        EntityState state = await(key, Duration.ofSeconds(15));
        assertEquals(expect.state(), state.state());
        assertEquals(expect.eventType(), state.lastEventType());
    }

    private static EntityState await(EntityKey key, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<EntityState> s = entities.find(key);
            if (s.isPresent()) {
                return s.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("entity " + key.asString() + " never appeared");
    }
}
