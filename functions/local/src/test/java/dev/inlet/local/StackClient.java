package dev.inlet.local;

import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.testing.TestClients;
import dev.inlet.core.config.Env;
import dev.inlet.core.store.EventKey;
import dev.inlet.core.store.EventQuery;
import dev.inlet.core.store.EventRecord;
import dev.inlet.core.store.EventStatus;
import dev.inlet.local.emulator.LocalStack;
import dev.inlet.local.samples.ProviderSamples;
import dev.inlet.local.samples.SampleRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a test does with a running local stack: post webhooks, read records, wait for a status. */
public final class StackClient {
    private final LocalStack stack;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final DynamoDbEventStore store;

    public StackClient(LocalStack stack, String functionForEnv) {
        this.stack = stack;
        BackendSettings backend = BackendSettings.from(Env.of(stack.environmentOf(functionForEnv)));
        this.store = new DynamoDbEventStore(TestClients.of(backend).dynamoDb(), backend.eventsTable());
    }

    public HttpResponse<String> post(SampleRequest request) throws IOException, InterruptedException {
        return post(request.path(), request.headers(), request.body());
    }

    public HttpResponse<String> post(String path, Map<String, String> headers, byte[] body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                .timeout(Duration.ofSeconds(15)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The key the receiver stores {@code request} under, by the provider's own rules. */
    public static EventKey keyOf(ProviderSamples samples, Env env, SampleRequest request) throws Exception {
        return new EventKey(samples.provider(), samples.provider(env).read(new dev.inlet.core.ingest.RawRequest(
                request.body(), dev.inlet.core.ingest.Headers.of(request.headers()), request.pathParameters(),
                "test")).dedupKey());
    }

    public Optional<EventRecord> find(String provider, String dedupKey) {
        return store.find(new EventKey(provider, dedupKey), Instant.now());
    }

    public List<EventRecord> all() {
        return store.list(EventQuery.all(), Instant.now());
    }

    public EventRecord awaitStatus(String provider, String dedupKey, EventStatus status, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        Optional<EventRecord> last = Optional.empty();
        while (Instant.now().isBefore(deadline)) {
            last = find(provider, dedupKey);
            if (last.isPresent() && last.get().status() == status) {
                return last.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError(provider + "#" + dedupKey + " did not reach " + status + " within " + timeout
                + "; last seen: " + last.map(r -> r.status().name()).orElse("no record"));
    }
}
