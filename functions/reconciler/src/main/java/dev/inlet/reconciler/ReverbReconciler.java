package dev.inlet.reconciler;

import dev.inlet.aws.AwsClients;
import dev.inlet.aws.BackendSettings;
import dev.inlet.aws.dynamodb.DynamoDbCursorStore;
import dev.inlet.aws.dynamodb.DynamoDbEntityStore;
import dev.inlet.aws.dynamodb.DynamoDbEventStore;
import dev.inlet.aws.lambda.Observability;
import dev.inlet.aws.secretsmanager.SecretsManagerReader;
import dev.inlet.aws.sqs.SqsEventQueue;
import dev.inlet.core.config.Env;
import dev.inlet.core.config.IntakeSettings;
import dev.inlet.core.ingest.IntakeService;
import dev.inlet.core.reconcile.ReconcileSettings;
import dev.inlet.core.reconcile.Reconciler;
import dev.inlet.reverb.ReverbProvider;
import dev.inlet.reverb.orders.ReverbApi;
import dev.inlet.reverb.orders.ReverbOrderFeed;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The composition of Reverb's order reconciliation, shared by the Lambda and {@code ./inlet reconcile}:
 * the order feed on Reverb's API, the intake the webhooks use (same store, queue and settings), the
 * entity table, the cursor in the events table.
 */
public final class ReverbReconciler {
    public static final String TOKEN = "REVERB_API_TOKEN";
    public static final String BASE = "REVERB_API_BASE";

    private ReverbReconciler() {
    }

    /** Empty when no token is configured (neither {@code REVERB_API_TOKEN} nor its {@code _ARN}). */
    public static Optional<Reconciler> compose(Env env, Clock clock, Observability observability) {
        AwsClients clients = new AwsClients(BackendSettings.from(env));
        return ApiToken.from(env, TOKEN, () -> new SecretsManagerReader(clients.secretsManager()))
                .map(token -> compose(env, clients, token, URI.create(env.optional(BASE).orElse(ReverbApi.PRODUCTION)),
                        clock, observability));
    }

    /** On given clients, token and API base (the CLI picks the sandbox; tests a stand-in). */
    public static Reconciler compose(Env env, AwsClients clients, ApiToken token, URI apiBase, Clock clock,
                                     Observability observability) {
        ReverbApi api = new ReverbApi(apiBase, token.value(), token.setting(),
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                d -> Thread.sleep(d.toMillis()),
                env.seconds("RECONCILE_MAX_RETRY_WAIT_SECONDS", Duration.ofSeconds(60)));
        String eventsTable = clients.settings().eventsTable();
        IntakeService intake = new IntakeService(new ReverbProvider(List.of()),
                new DynamoDbEventStore(clients.dynamoDb(), eventsTable),
                new SqsEventQueue(clients.sqs(), clients.settings().requireQueueUrl()),
                IntakeSettings.from(env), clock, observability.log(), observability.metrics());
        return new Reconciler(new ReverbOrderFeed(api), intake,
                new DynamoDbEntityStore(clients.dynamoDb(), env.required("ENTITIES_TABLE")),
                new DynamoDbEventStore(clients.dynamoDb(), eventsTable),
                new DynamoDbCursorStore(clients.dynamoDb(), eventsTable),
                ReconcileSettings.from(env), clock, observability.log(), observability.metrics());
    }
}
